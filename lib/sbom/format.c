// SPDX-License-Identifier: Apache-2.0
/*
 * format.c — the SBOM format table, kensa_sbom_write / kensa_sbom_read, and helpers shared
 * by the writers (timestamps, UUIDs).
 */
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>

#include "sbom.h"

static const struct ks_sbom_format *const formats[] = {
	&ks_sbom_cyclonedx,
	&ks_sbom_spdx,
	&ks_sbom_native,
};

const char *kensa_version(void)
{
	return KENSA_VERSION;
}

const char *const *kensa_sbom_formats(void)
{
	static const char *names[KS_ARRAY_SIZE(formats) + 1];

	for (size_t i = 0; i < KS_ARRAY_SIZE(formats); i++)
		names[i] = formats[i]->name;
	return names;
}

int kensa_sbom_write(const struct kensa_inventory *inv, const char *format, FILE *out, struct kensa_err *err)
{
	for (size_t i = 0; i < KS_ARRAY_SIZE(formats); i++)
		if (strcmp(formats[i]->name, format) == 0)
			return formats[i]->write(inv, out, err);
	return kensa_err_set(err, KENSA_EINVAL, "unknown SBOM format '%s' (cyclonedx, spdx, json)", format);
}

int kensa_sbom_read_mem(const char *data, size_t len, const char *name, struct kensa_inventory **out,
			struct kensa_err *err)
{
	cJSON *root = ks_json_parse(data, len, name, err);
	struct kensa_inventory *inv = NULL;
	int result = 0;

	*out = NULL;
	if (!root)
		return KENSA_EFORMAT;
	for (size_t i = 0; i < KS_ARRAY_SIZE(formats); i++) {
		if (!formats[i]->sniff(root))
			continue;
		inv = ks_inv_new(name);
		if (!inv) {
			result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
			goto out;
		}
		inv->target_kind = "sbom";
		result = formats[i]->read(root, name, inv, err);
		if (!result)
			result = ks_inv_finalize(inv, NULL, err);
		if (!result) {
			*out = inv;
			inv = NULL;
		}
		goto out;
	}
	result = kensa_err_set(err, KENSA_EFORMAT, "'%s' is neither CycloneDX, SPDX nor kensa JSON", name);
out:
	kensa_inventory_free(inv);
	cJSON_Delete(root);
	return result;
}

int kensa_sbom_read(const char *path, struct kensa_inventory **out, struct kensa_err *err)
{
	char *data = NULL;
	size_t len;
	int result = ks_file_read(path, (size_t)2 << 30, &data, &len, err);

	if (!result)
		result = kensa_sbom_read_mem(data, len, path, out, err);
	free(data);
	return result;
}

/* used by kensa_inventory_scan for sbom: targets */
int ks_sbom_read_file(const char *path, struct kensa_inventory **out, struct kensa_err *err);
int ks_sbom_read_file(const char *path, struct kensa_inventory **out, struct kensa_err *err)
{
	return kensa_sbom_read(path, out, err);
}

void ks_sbom_timestamp(char out[32])
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t now = time(NULL);
	struct tm tm;
	uint64_t v;

	if (sde && ks_parse_u64(sde, strlen(sde), &v))
		now = (time_t)v;
	gmtime_r(&now, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void ks_sbom_uuid(char out[37])
{
	unsigned char b[16];

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
		uint64_t t = ks_now_ns();

		for (size_t i = 0; i < sizeof(b); i++)
			b[i] = (unsigned char)(ks_hash(&t, sizeof(t)) >> (i % 8 * 8));
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2],
		 b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

void ks_sbom_os_from_distro(struct kensa_inventory *inv, const char *distro)
{
	const char *dash;

	if (!distro || inv->os.id)
		return;
	dash = strrchr(distro, '-');
	if (!dash)
		return;
	inv->os.id = ks_arena_strndup(&inv->arena, distro, (size_t)(dash - distro));
	inv->os.version_id = ks_arena_strdup(&inv->arena, dash + 1);
	inv->os.osv_ecosystem = ks_os_ecosystem(&inv->arena, inv->os.id, inv->os.version_id);
}
