// SPDX-License-Identifier: Apache-2.0
/*
 * secrets.c — the secret scanner: a rule table, an Aho–Corasick prefilter over the rules'
 * keywords (acmatch.c), and a PCRE2 regex per rule run only in a window around each hit.
 *
 * Cost is one automaton step per input byte plus a bounded regex run per keyword hit, not
 * one regex pass per rule. Rules are our own, written from the token formats the issuers
 * document (AWS, GitHub, GitLab, Slack, Stripe, Google, npm, PyPI, PEM private keys, JWTs).
 * Matches are redacted before they leave this file.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdlib.h>

#include "acmatch.h"
#include "kensa/secrets.h"

struct rule {
	const char *id;
	const char *title;
	const char *severity;
	const char *keywords[4];
	const char *regex;	/* PCRE2; the reported match is group 1 when present, else the whole */
	uint32_t flags;		/* extra PCRE2 compile flags */
};

static const struct rule rules[] = {
	{ "aws-access-key-id", "AWS access key ID", "CRITICAL", { "akia", "asia", "abia", "acca" },
	  "\\b((?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16})\\b", 0 },
	{ "aws-secret-access-key", "AWS secret access key", "CRITICAL", { "secret_access_key", "secretaccesskey", "aws_secret" },
	  "(?i:aws_?secret_?(?:access_?)?key)[\"'\\s]*[:=]\\s*[\"']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])", 0 },
	{ "private-key", "private key", "CRITICAL", { "private key-----" },
	  "(-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----)", 0 },
	{ "github-token", "GitHub token", "CRITICAL", { "ghp_", "gho_", "ghu_", "ghs_" },
	  "\\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36})\\b", 0 },
	{ "github-fine-grained-token", "GitHub fine-grained token", "CRITICAL", { "github_pat_" },
	  "\\b(github_pat_[A-Za-z0-9_]{82})\\b", 0 },
	{ "gitlab-token", "GitLab personal access token", "CRITICAL", { "glpat-" },
	  "\\b(glpat-[A-Za-z0-9_-]{20})\\b", 0 },
	{ "slack-token", "Slack token", "HIGH", { "xoxb-", "xoxp-", "xoxa-", "xoxr-" },
	  "\\b(xox[abpr]-[A-Za-z0-9-]{10,72})\\b", 0 },
	{ "slack-webhook", "Slack webhook URL", "MEDIUM", { "hooks.slack.com/services/" },
	  "(https://hooks\\.slack\\.com/services/T[A-Z0-9]{8,}/B[A-Z0-9]{8,}/[A-Za-z0-9]{24})", 0 },
	{ "stripe-secret-key", "Stripe secret key", "CRITICAL", { "sk_live_", "rk_live_" },
	  "\\b((?:sk|rk)_live_[A-Za-z0-9]{24,99})\\b", 0 },
	{ "google-api-key", "Google API key", "HIGH", { "aiza" },
	  "\\b(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])", 0 },
	{ "npm-token", "npm access token", "CRITICAL", { "npm_" },
	  "\\b(npm_[A-Za-z0-9]{36})\\b", 0 },
	{ "pypi-token", "PyPI upload token", "CRITICAL", { "pypi-ageichlwas5vcmc" },
	  "\\b(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})", 0 },
	{ "jwt", "JSON Web Token", "MEDIUM", { "eyj" },
	  "\\b(eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,})", 0 },
};

#define NRULES KS_ARRAY_SIZE(rules)
#define WINDOW_BEFORE 200
#define WINDOW_AFTER 600

static struct {
	pthread_once_t once;
	struct ks_ac *ac;
	const char *keywords[NRULES * 4];
	size_t kw_rule[NRULES * 4];
	size_t nkw;
	pcre2_code *re[NRULES];
	bool ok;
} engine = { .once = PTHREAD_ONCE_INIT };

static void engine_init(void)
{
	for (size_t r = 0; r < NRULES; r++) {
		int code;
		PCRE2_SIZE off;

		for (size_t k = 0; k < 4 && rules[r].keywords[k]; k++) {
			engine.keywords[engine.nkw] = rules[r].keywords[k];
			engine.kw_rule[engine.nkw++] = r;
		}
		engine.re[r] = pcre2_compile((PCRE2_SPTR)rules[r].regex, PCRE2_ZERO_TERMINATED,
					     rules[r].flags, &code, &off, NULL);
		if (!engine.re[r])
			return;
		pcre2_jit_compile(engine.re[r], PCRE2_JIT_COMPLETE);
	}
	engine.ac = ks_ac_build(engine.keywords, engine.nkw);
	engine.ok = engine.ac != NULL;
}

struct scan_state {
	const unsigned char *data;
	size_t len;
	pcre2_match_data *md;
	size_t done_until[NRULES];	/* a rule's window is not re-run over what it covered */
	int (*found)(void *, const char *, const char *, const char *, uint32_t, const char *);
	void *ud;
	size_t line_pos;		/* line counting is incremental: matches come in order */
	uint32_t line;
};

static uint32_t line_of(struct scan_state *s, size_t pos)
{
	if (pos < s->line_pos) {
		s->line_pos = 0;
		s->line = 1;
	}
	for (size_t i = s->line_pos; i < pos; i++)
		if (s->data[i] == '\n')
			s->line++;
	s->line_pos = pos;
	return s->line;
}

static int on_keyword(void *ud, size_t kw, size_t end)
{
	struct scan_state *s = ud;
	size_t r = engine.kw_rule[kw];
	size_t from = end > WINDOW_BEFORE ? end - WINDOW_BEFORE : 0;
	size_t to = KS_MIN(s->len, end + WINDOW_AFTER);
	PCRE2_SIZE start;

	if (from < s->done_until[r])
		from = s->done_until[r];
	if (from >= to)
		return 0;
	start = 0;
	while (start < to - from) {
		int rc = pcre2_match(engine.re[r], s->data + from, to - from, start, 0, s->md, NULL);
		PCRE2_SIZE *ov;
		size_t ms, me;
		char red[128];
		size_t n, k;
		int result;

		if (rc <= 0)
			break;
		ov = pcre2_get_ovector_pointer(s->md);
		ms = rc > 1 && ov[2] != PCRE2_UNSET ? ov[2] : ov[0];
		me = rc > 1 && ov[3] != PCRE2_UNSET ? ov[3] : ov[1];
		/* redact: first 4 characters, then one '*' per character (capped) */
		n = me - ms;
		for (k = 0; k < n && k < sizeof(red) - 1; k++)
			red[k] = k < 4 ? (char)s->data[from + ms + k] : '*';
		red[k] = '\0';
		result = s->found(s->ud, rules[r].id, rules[r].title, rules[r].severity,
				  line_of(s, from + ms), red);
		if (result)
			return result;
		start = ov[1] > start ? ov[1] : start + 1;
	}
	s->done_until[r] = to;
	return 0;
}

int kensa_secrets_scan(const void *data, size_t len,
		       int (*found)(void *ud, const char *rule, const char *title, const char *severity,
				    uint32_t line, const char *redacted),
		       void *ud)
{
	struct scan_state s;
	int result;

	pthread_once(&engine.once, engine_init);
	if (!engine.ok)
		return KENSA_ENOMEM;
	memset(&s, 0, sizeof(s));
	s.data = data;
	s.len = len;
	s.found = found;
	s.ud = ud;
	s.line = 1;
	s.md = pcre2_match_data_create(8, NULL);
	if (!s.md)
		return KENSA_ENOMEM;
	result = ks_ac_scan(engine.ac, data, len, on_keyword, &s);
	pcre2_match_data_free(s.md);
	return result;
}
