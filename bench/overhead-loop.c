// SPDX-License-Identifier: Apache-2.0
/*
 * overhead-loop.c — the workloads of bench/agent-overhead.sh, built static so they run
 * unchanged inside a container:
 *
 *   overhead-loop open N FILE          N × open/read 4 KiB/close of FILE (syscall-heavy)
 *   overhead-loop spawn N PROGRAM      N × posix_spawn + wait of PROGRAM (fork/exec-heavy)
 *   overhead-loop rate R SECONDS DIR   R distinct files per second (O_TMPFILE in DIR) for
 *                                      SECONDS: every open is a new event for the sensor
 *
 * Prints one line: the elapsed seconds (open, spawn) or the achieved rate (rate).
 * Not part of kensa: a benchmark helper, deliberately plain.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	char buf[4096];
	double t0;

	if (argc < 4) {
		fprintf(stderr, "usage: %s open N FILE | spawn N PROGRAM | rate R SECONDS DIR\n",
			argv[0]);
		return 2;
	}
	t0 = now();
	if (strcmp(argv[1], "open") == 0) {
		long n = strtol(argv[2], NULL, 10);

		for (long i = 0; i < n; i++) {
			int fd = open(argv[3], O_RDONLY | O_CLOEXEC);

			if (fd < 0 || read(fd, buf, sizeof(buf)) < 0) {
				perror(argv[3]);
				return 1;
			}
			close(fd);
		}
		printf("%.6f\n", now() - t0);
	} else if (strcmp(argv[1], "spawn") == 0) {
		long n = strtol(argv[2], NULL, 10);
		char *args[] = { argv[3], NULL };

		for (long i = 0; i < n; i++) {
			pid_t pid;
			int st;

			if (posix_spawn(&pid, argv[3], NULL, NULL, args, environ) != 0 ||
			    waitpid(pid, &st, 0) < 0) {
				perror(argv[3]);
				return 1;
			}
		}
		printf("%.6f\n", now() - t0);
	} else if (strcmp(argv[1], "rate") == 0 && argc >= 5) {
		double rate = strtod(argv[2], NULL), secs = strtod(argv[3], NULL);
		long done = 0, total = (long)(rate * secs);

		while (done < total) {
			double due = t0 + (double)done / rate;
			double t = now();

			if (t < due) {
				struct timespec ts = { 0, (long)((due - t) * 1e9) };

				nanosleep(&ts, NULL);
			}
			for (int k = 0; k < 100 && done < total; k++, done++) {
				int fd = open(argv[4], O_TMPFILE | O_RDWR, 0600);

				if (fd < 0) {
					perror(argv[4]);
					return 1;
				}
				close(fd);
			}
		}
		printf("%.0f\n", (double)done / (now() - t0));
	} else {
		fprintf(stderr, "unknown mode '%s'\n", argv[1]);
		return 2;
	}
	return 0;
}
