// SPDX-License-Identifier: Apache-2.0
/*
 * cmd-scan.c — `kensa scan TARGET`: inventory, match, evidence, risk; the short list that
 * needs action first; reports for people (table), tools (json, sarif, cyclonedx, junit,
 * html, openvex) and CI (--fail-on / --policy, exit 1 when the policy fails).
 *
 * The filters (--in-use, --fixable, --kev, --severity …) are written into one condition of
 * the policy language and handed to the report; --where takes such a condition directly.
 * With no filter the view is --needs-action; --all shows everything. The funnel on top
 * always counts every finding.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "kensa/scan.h"
#include "kensa/vulndb.h"

static void scan_help(FILE *f)
{
	fprintf(f,
		"usage: kensa scan TARGET [options]\n"
		"\n"
		"Find the vulnerabilities in TARGET that need action, with the evidence.\n"
		"TARGET: dir:PATH, docker-archive:FILE, oci:DIR, oci-archive:FILE, host, sbom:FILE\n"
		"\n"
		"data:\n"
		"      --db FILE            vulnerability database (default $XDG_CACHE_HOME/kensa/kensa.db)\n"
		"      --profile FILE       runtime profile from `kensa profile` (repeatable)\n"
		"      --policy FILE        policy: fail_on, ignore (with reason and expiry), vex, required_labels\n"
		"      --scopes FILE        business scopes: image/registry/label patterns → criticality\n"
		"      --vex FILE           OpenVEX / CycloneDX VEX to honour (repeatable)\n"
		"view (default --needs-action; filters combine with 'and'):\n"
		"      --needs-action       fixable, exploitable and not shown unused\n"
		"      --all                every finding\n"
		"      --in-use --fixable --exploitable --kev --network\n"
		"      --epss-min P         EPSS score at least P\n"
		"      --severity LIST      e.g. critical,high\n"
		"      --where COND         any condition of the policy language (docs/policy.md)\n"
		"risk model:\n"
		"      --epss-threshold P   exploitable from this EPSS score (default 0.1)\n"
		"      --no-critical-network  CVSS >= 9 over the network alone is not 'exploitable'\n"
		"output:\n"
		"  -f, --format F           table (default), json, sarif, cyclonedx, junit, html, openvex\n"
		"  -o, --output FILE        write there instead of standard output\n"
		"      --vex-out FILE       also write OpenVEX statements for code never loaded\n"
		"      --no-secrets         skip the secret scan of layer files\n"
		"CI:\n"
		"      --fail-on COND       exit 1 when a finding matches COND (e.g. needs_action, 'kev or cvss >= 9')\n"
		"\n"
		"exit: 0 pass, 1 policy failed, 2 usage error, 3 error\n");
}

enum {
	OPT_DB = 256, OPT_PROFILE, OPT_POLICY, OPT_SCOPES, OPT_VEX, OPT_NEEDS, OPT_ALL, OPT_INUSE, OPT_FIXABLE,
	OPT_EXPLOITABLE, OPT_KEV, OPT_NETWORK, OPT_EPSSMIN, OPT_SEVERITY, OPT_WHERE, OPT_EPSSTHR, OPT_NOCRIT,
	OPT_VEXOUT, OPT_NOSECRETS, OPT_FAILON,
};

static int add_clause(char *buf, size_t size, const char *clause)
{
	size_t n = strlen(buf);

	if ((size_t)snprintf(buf + n, size - n, "%s(%s)", n ? " and " : "", clause) >= size - n)
		return -1;
	return 0;
}

static bool parse_prob(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (*end || v < 0 || v > 1)
		return false;
	*out = v;
	return true;
}

int cmd_scan(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, OPT_DB },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "policy", required_argument, NULL, OPT_POLICY },
		{ "scopes", required_argument, NULL, OPT_SCOPES },
		{ "vex", required_argument, NULL, OPT_VEX },
		{ "needs-action", no_argument, NULL, OPT_NEEDS },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "in-use", no_argument, NULL, OPT_INUSE },
		{ "fixable", no_argument, NULL, OPT_FIXABLE },
		{ "exploitable", no_argument, NULL, OPT_EXPLOITABLE },
		{ "kev", no_argument, NULL, OPT_KEV },
		{ "network", no_argument, NULL, OPT_NETWORK },
		{ "epss-min", required_argument, NULL, OPT_EPSSMIN },
		{ "severity", required_argument, NULL, OPT_SEVERITY },
		{ "where", required_argument, NULL, OPT_WHERE },
		{ "epss-threshold", required_argument, NULL, OPT_EPSSTHR },
		{ "no-critical-network", no_argument, NULL, OPT_NOCRIT },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "vex-out", required_argument, NULL, OPT_VEXOUT },
		{ "no-secrets", no_argument, NULL, OPT_NOSECRETS },
		{ "fail-on", required_argument, NULL, OPT_FAILON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kensa_err err = KENSA_ERR_INIT;
	struct kensa_inventory_opts io = KENSA_INVENTORY_OPTS_INIT;
	struct kensa_scan_opts so = KENSA_SCAN_OPTS_INIT;
	struct kensa_report_view view = KENSA_REPORT_VIEW_INIT;
	struct kensa_inventory *inv = NULL;
	struct kensa_db *db = NULL;
	struct kensa_report *rep = NULL;
	struct cli_out out = { 0 }, vexout = { 0 };
	const char **profiles = NULL, **vex = NULL;
	size_t nprofiles = 0, nvex = 0;
	char filter[4096] = "";
	const char *format = "table", *output = NULL, *vex_out = NULL, *fail_on = NULL;
	char *db_path = NULL;
	bool all = false, needs = false;
	int c, rc = EXIT_OK;

	profiles = calloc((size_t)argc + 1, sizeof(*profiles));
	vex = calloc((size_t)argc + 1, sizeof(*vex));
	if (!profiles || !vex) {
		rc = cli_fail(NULL, "out of memory");
		goto out;
	}
	io.secrets = true;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:h", opts, NULL)) != -1) {
		double p;

		switch (c) {
		case OPT_DB: free(db_path); db_path = strdup(optarg); break;
		case OPT_PROFILE: profiles[nprofiles++] = optarg; break;
		case OPT_POLICY: so.policy_file = optarg; break;
		case OPT_SCOPES: so.scopes_file = optarg; break;
		case OPT_VEX: vex[nvex++] = optarg; break;
		case OPT_NEEDS: needs = true; break;
		case OPT_ALL: all = true; break;
		case OPT_INUSE: add_clause(filter, sizeof(filter), "in_use"); break;
		case OPT_FIXABLE: add_clause(filter, sizeof(filter), "fixable"); break;
		case OPT_EXPLOITABLE: add_clause(filter, sizeof(filter), "exploitable"); break;
		case OPT_KEV: add_clause(filter, sizeof(filter), "kev"); break;
		case OPT_NETWORK: add_clause(filter, sizeof(filter), "network"); break;
		case OPT_EPSSMIN: {
			char cl[64];

			if (!parse_prob(optarg, &p)) {
				rc = cli_usage("scan", "--epss-min takes a probability between 0 and 1, not '%s'", optarg);
				goto out;
			}
			snprintf(cl, sizeof(cl), "epss >= %g", p);
			add_clause(filter, sizeof(filter), cl);
			break;
		}
		case OPT_SEVERITY: {
			char cl[512] = "";
			char *list = strdup(optarg), *save = NULL;

			for (char *s = list ? strtok_r(list, ",", &save) : NULL; s; s = strtok_r(NULL, ",", &save)) {
				size_t n = strlen(cl);

				snprintf(cl + n, sizeof(cl) - n, "%sseverity == %s", n ? " or " : "", s);
			}
			free(list);
			if (!*cl) {
				rc = cli_usage("scan", "--severity needs a list, e.g. critical,high");
				goto out;
			}
			add_clause(filter, sizeof(filter), cl);
			break;
		}
		case OPT_WHERE: add_clause(filter, sizeof(filter), optarg); break;
		case OPT_EPSSTHR:
			if (!parse_prob(optarg, &so.epss_threshold)) {
				rc = cli_usage("scan", "--epss-threshold takes a probability between 0 and 1, not '%s'", optarg);
				goto out;
			}
			break;
		case OPT_NOCRIT: so.critical_network_needs_action = false; break;
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case OPT_VEXOUT: vex_out = optarg; break;
		case OPT_NOSECRETS: io.secrets = false; break;
		case OPT_FAILON: fail_on = optarg; break;
		case 'h': scan_help(stdout); rc = EXIT_OK; goto out;
		default: rc = cli_usage("scan", "bad option"); goto out;
		}
	}
	if (optind != argc - 1) {
		rc = cli_usage("scan", optind >= argc ? "no target given" : "one target only");
		goto out;
	}
	{
		const char *const *fmts = kensa_report_formats();
		bool known = false;

		for (size_t i = 0; fmts[i]; i++)
			known |= strcmp(fmts[i], format) == 0;
		if (!known) {
			rc = cli_usage("scan", "unknown format '%s'", format);
			goto out;
		}
	}
	if (all && (needs || *filter)) {
		rc = cli_usage("scan", "--all shows every finding: it does not combine with filters");
		goto out;
	}
	if (needs || (!all && !*filter))
		add_clause(filter, sizeof(filter), "needs_action");
	view.filter = all ? NULL : filter;
	so.profiles = profiles;
	so.nprofiles = nprofiles;
	so.vex_files = vex;
	so.nvex = nvex;
	if (!db_path)
		db_path = kensa_db_default_path();
	if (!db_path) {
		rc = cli_fail(NULL, "no database path: set XDG_CACHE_HOME or HOME, or give --db");
		goto out;
	}
	if (kensa_db_open(db_path, 0, &db, &err) != 0) {
		if (err.code == KENSA_ENOTFOUND) {
			fprintf(stderr, "kensa: error: %s\n(run `kensa db update` first, or `kensa db build --from DIR` "
					"offline)\n", err.msg);
			rc = EXIT_ERROR;
		} else {
			rc = cli_fail(&err, "cannot open the database");
		}
		goto out;
	}
	if (kensa_inventory_scan(argv[optind], &io, &inv, &err) != 0) {
		rc = cli_fail(&err, "cannot inventory the target");
		goto out;
	}
	if (kensa_scan_run(inv, db, &so, &rep, &err) != 0) {
		rc = cli_fail(&err, "cannot scan");
		goto out;
	}
	if (strcmp(format, "table") == 0 && (!output || strcmp(output, "-") == 0)) {
		struct winsize ws;

		view.color = cli.color;
		if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col)
			view.width = ws.ws_col;
	}
	if (cli_out_open(&out, output, &err) != 0 || kensa_report_write(rep, format, &view, out.f, &err) != 0) {
		cli_out_close(&out, false, NULL);
		rc = cli_fail(&err, "cannot write the report");
		goto out;
	}
	if (cli_out_close(&out, true, &err) != 0) {
		rc = cli_fail(&err, "cannot write the report");
		goto out;
	}
	if (vex_out) {
		if (cli_out_open(&vexout, vex_out, &err) != 0 ||
		    kensa_report_write(rep, "openvex", NULL, vexout.f, &err) != 0) {
			cli_out_close(&vexout, false, NULL);
			rc = cli_fail(&err, "cannot write the VEX document");
			goto out;
		}
		if (cli_out_close(&vexout, true, &err) != 0) {
			rc = cli_fail(&err, "cannot write the VEX document");
			goto out;
		}
	}
	if (fail_on || so.policy_file) {
		bool failed = false;
		size_t n = 0;

		if (kensa_report_policy(rep, fail_on, &failed, &n, &err) != 0) {
			rc = cli_usage("scan", "%s", err.msg);
			goto out;
		}
		if (failed) {
			fprintf(stderr, "kensa: policy failed: %zu finding%s match%s '%s'\n", n, n == 1 ? "" : "s",
				n == 1 ? "es" : "", fail_on ? fail_on : "the policy");
			rc = EXIT_POLICY;
		}
	}
	if (cli.verbosity > 0)
		fprintf(stderr, "kensa: scanned %s in %.2f s\n", argv[optind], cli_elapsed());
out:
	kensa_report_free(rep);
	kensa_inventory_free(inv);
	kensa_db_free(db);
	free(db_path);
	free(profiles);
	free(vex);
	return rc;
}
