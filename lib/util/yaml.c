// SPDX-License-Identifier: Apache-2.0
/*
 * yaml.c — libyaml event stream → cJSON tree (see yaml.h for the rules).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <yaml.h>

#include "yaml.h"

#define YAML_MAX_DEPTH 64
#define YAML_MAX_NODES 10000000

static cJSON *scalar(const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;

	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		if ((n == 4 && strcmp(v, "true") == 0) || (n == 4 && strcmp(v, "True") == 0))
			return cJSON_CreateTrue();
		if ((n == 5 && strcmp(v, "false") == 0) || (n == 5 && strcmp(v, "False") == 0))
			return cJSON_CreateFalse();
		if ((n == 4 && strcmp(v, "null") == 0) || (n == 1 && v[0] == '~') || n == 0)
			return cJSON_CreateNull();
		if (n && n < 32 && ((v[0] >= '0' && v[0] <= '9') || v[0] == '-' || v[0] == '.')) {
			char *end;
			double d;

			errno = 0;
			d = strtod(v, &end);
			/* only plain decimal numbers; versions like 1.2.3 stay strings */
			if (errno == 0 && end == v + n && isfinite(d) && !strchr(v, 'x') && !strchr(v, 'X'))
				return cJSON_CreateNumber(d);
		}
	}
	return cJSON_CreateString(v);
}

cJSON *ks_yaml_parse(const char *data, size_t len, const char *name, struct kensa_err *err)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	cJSON *stack[YAML_MAX_DEPTH + 1];
	char *keys[YAML_MAX_DEPTH + 1];	/* pending key per mapping level */
	int depth = 0;
	cJSON *root = NULL;
	size_t nodes = 0;
	bool done = false;

	memset(keys, 0, sizeof(keys));
	if (!yaml_parser_initialize(&parser)) {
		kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	while (!done) {
		cJSON *node = NULL;

		if (!yaml_parser_parse(&parser, &ev)) {
			kensa_err_set(err, KENSA_EFORMAT, "'%s': %s at line %zu", name,
				      parser.problem ? parser.problem : "malformed YAML", parser.problem_mark.line + 1);
			goto fail;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			done = root != NULL || ev.type == YAML_STREAM_END_EVENT;
			break;
		case YAML_ALIAS_EVENT:
			kensa_err_set(err, KENSA_EUNSUPPORTED, "'%s': YAML aliases are not accepted (line %zu)", name,
				      ev.start_mark.line + 1);
			yaml_event_delete(&ev);
			goto fail;
		case YAML_SCALAR_EVENT:
			node = scalar(&ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
			node = cJSON_CreateArray();
			break;
		case YAML_MAPPING_START_EVENT:
			node = cJSON_CreateObject();
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth > 0) {
				free(keys[depth]);
				keys[depth] = NULL;
				depth--;
			}
			break;
		default:
			break;
		}
		if (node) {
			bool container = cJSON_IsArray(node) || cJSON_IsObject(node);

			if (++nodes > YAML_MAX_NODES) {
				cJSON_Delete(node);
				kensa_err_set(err, KENSA_ELIMIT, "'%s': too many YAML nodes", name);
				yaml_event_delete(&ev);
				goto fail;
			}
			if (depth == 0) {
				if (root) {
					cJSON_Delete(node);	/* a second top-level node cannot happen in one document */
				} else {
					root = node;
				}
			} else {
				cJSON *parent = stack[depth];

				if (cJSON_IsObject(parent)) {
					if (!keys[depth]) {
						/* this node is a key: scalars only */
						if (container) {
							cJSON_Delete(node);
							kensa_err_set(err, KENSA_EUNSUPPORTED,
								      "'%s': complex mapping keys are not accepted (line %zu)",
								      name, ev.start_mark.line + 1);
							yaml_event_delete(&ev);
							goto fail;
						}
						keys[depth] = cJSON_IsString(node) ? strdup(node->valuestring)
										  : cJSON_PrintUnformatted(node);
						cJSON_Delete(node);
						node = NULL;
						if (!keys[depth]) {
							kensa_err_set(err, KENSA_ENOMEM, "out of memory");
							yaml_event_delete(&ev);
							goto fail;
						}
					} else {
						/* later duplicate keys win, as in most YAML loaders */
						cJSON_DeleteItemFromObjectCaseSensitive(parent, keys[depth]);
						cJSON_AddItemToObject(parent, keys[depth], node);
						free(keys[depth]);
						keys[depth] = NULL;
					}
				} else {
					cJSON_AddItemToArray(parent, node);
				}
			}
			if (node && container) {
				if (depth >= YAML_MAX_DEPTH) {
					kensa_err_set(err, KENSA_ELIMIT, "'%s': YAML nested deeper than %d levels", name,
						      YAML_MAX_DEPTH);
					yaml_event_delete(&ev);
					goto fail;
				}
				stack[++depth] = node;
			}
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	if (!root)
		root = cJSON_CreateNull();
	return root;
fail:
	for (int i = 0; i <= YAML_MAX_DEPTH; i++)
		free(keys[i]);
	yaml_parser_delete(&parser);
	cJSON_Delete(root);
	return NULL;
}
