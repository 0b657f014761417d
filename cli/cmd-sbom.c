// SPDX-License-Identifier: Apache-2.0
/*
 * cmd-sbom.c — `kensa sbom TARGET [-f cyclonedx|spdx|json] [-o FILE]`: inventory a target
 * and write it as an SBOM. A one-line summary goes to stderr unless -q.
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"

static void sbom_help(FILE *f)
{
	fprintf(f,
		"usage: kensa sbom TARGET [-f FORMAT] [-o FILE] [--no-files]\n"
		"\n"
		"Inventory TARGET and write an SBOM.\n"
		"\n"
		"TARGET   dir:PATH | PATH           unpacked root file system\n"
		"         docker-archive:FILE[:REF]  docker/podman save output (tar, tar.gz, tar.zst)\n"
		"         oci:DIR[:TAG]              OCI image layout directory\n"
		"         oci-archive:FILE[:TAG]     tar of an OCI image layout\n"
		"         host                       this machine\n"
		"         sbom:FILE                  an SBOM written earlier (convert between formats)\n"
		"\n"
		"  -f, --format FORMAT   cyclonedx (default, CycloneDX 1.6), spdx (SPDX 2.3), json (kensa)\n"
		"  -o, --output FILE     write to FILE instead of standard output\n"
		"      --no-files        do not list the files each package owns\n");
}

int cmd_sbom(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "no-files", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kensa_err err = KENSA_ERR_INIT;
	struct kensa_inventory_opts so = KENSA_INVENTORY_OPTS_INIT;
	struct kensa_inventory *inv = NULL;
	struct cli_out out = { 0 };
	const char *format = "cyclonedx", *output = NULL;
	const char *const *fmts = kensa_sbom_formats();
	bool known = false;
	int c, rc = EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case 'F': so.files = false; break;
		case 'h': sbom_help(stdout); return EXIT_OK;
		default: return cli_usage("sbom", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage("sbom", optind >= argc ? "no target given" : "one target only");
	for (size_t i = 0; fmts[i]; i++)
		known |= strcmp(fmts[i], format) == 0;
	if (!known)
		return cli_usage("sbom", "unknown format '%s' (cyclonedx, spdx, json)", format);

	if (kensa_inventory_scan(argv[optind], &so, &inv, &err) != 0) {
		rc = cli_fail(&err, "cannot inventory the target");
		goto out;
	}
	if (cli_out_open(&out, output, &err) != 0 || kensa_sbom_write(inv, format, out.f, &err) != 0) {
		cli_out_close(&out, false, NULL);
		rc = cli_fail(&err, "cannot write the SBOM");
		goto out;
	}
	if (cli_out_close(&out, true, &err) != 0) {
		rc = cli_fail(&err, "cannot write the SBOM");
		goto out;
	}
	if (cli.verbosity >= 0) {
		size_t n = kensa_inventory_count(inv);
		uint64_t warns = kensa_inventory_warnings(inv);

		fprintf(stderr, "kensa: %zu packages in %s (%.2f s)%s%.0llu%s\n", n, argv[optind], cli_elapsed(),
			warns ? ", " : "", (unsigned long long)warns, warns ? " warnings" : "");
	}
out:
	kensa_inventory_free(inv);
	return rc;
}
