/* SPDX-License-Identifier: Apache-2.0 */
/*
 * replay.h — turns a libFuzzer target into a plain program that runs the target once per
 * file named on the command line (or every file of a named directory). The normal test run
 * builds every fuzz/<parser>.c this way (with ASan+UBSan) and replays the committed corpus
 * and crash inputs, so a fixed crash stays fixed without needing clang's libFuzzer.
 */
#ifndef KS_FUZZ_REPLAY_H
#define KS_FUZZ_REPLAY_H
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f) {
		perror(path);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (!buf || (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)) {
		fclose(f);
		free(buf);
		return 1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0, count = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			DIR *d = opendir(argv[i]);
			struct dirent *e;

			while (d && (e = readdir(d))) {
				char p[4096];

				if (e->d_name[0] == '.')
					continue;
				snprintf(p, sizeof(p), "%s/%s", argv[i], e->d_name);
				bad |= replay_file(p);
				count++;
			}
			if (d)
				closedir(d);
		} else {
			bad |= replay_file(argv[i]);
			count++;
		}
	}
	fprintf(stderr, "replayed %d inputs\n", count);
	return bad;
}
#endif
