// SPDX-License-Identifier: Apache-2.0
/*
 * privs.c — giving up privileges once the sensor runs.
 *
 * After the BPF programs are loaded and attached, the sensor only reads: the ring buffer and
 * its maps through descriptors it already holds (no capability needed), and /proc plus
 * container files. So it keeps exactly CAP_SYS_PTRACE (/proc/PID/{root,maps,fd} of other
 * users' processes) and CAP_DAC_READ_SEARCH (walking container roots and runtimes' state
 * files), drops everything else from every set including the bounding set, and sets
 * no_new_privs so nothing it runs later can regain them. The uid stays what it was: files
 * kensa writes (profiles, the store) keep their owner.
 *
 * What it is not: a sandbox (no seccomp filter, no namespace change).
 */
#include <errno.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sensor.h"

static const int keep[] = { CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH };

static bool kept(int cap)
{
	for (size_t i = 0; i < KS_ARRAY_SIZE(keep); i++)
		if (keep[i] == cap)
			return true;
	return false;
}

int kensa_sensor_drop_privileges(struct kensa_sensor *s, struct kensa_err *err)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	uint32_t mask[2] = { 0, 0 };
	int last = 40;

	KS_UNUSED(s);
	if (syscall(SYS_capget, &h, d) != 0)
		return kensa_err_set(err, KENSA_EPERM, "cannot read capabilities: %s",
				     strerror(errno));
	if (!d[0].permitted && !d[1].permitted)
		return 0;	/* nothing to give up */
	{
		FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");

		if (f) {
			if (fscanf(f, "%d", &last) != 1 || last < 0 || last > 63)
				last = 40;
			fclose(f);
		}
	}
	/* the bounding set first: that needs CAP_SETPCAP, which goes next */
	for (int cap = 0; cap <= last; cap++)
		if (!kept(cap) && prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1 &&
		    prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL)
			return kensa_err_set(err, KENSA_EPERM,
					     "cannot drop capability %d from the bounding set: %s",
					     cap, strerror(errno));
	for (size_t i = 0; i < KS_ARRAY_SIZE(keep); i++)
		mask[keep[i] / 32] |= 1u << (keep[i] % 32);
	for (int w = 0; w < 2; w++) {
		d[w].effective &= mask[w];
		d[w].permitted &= mask[w];
		d[w].inheritable = 0;
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
		return kensa_err_set(err, KENSA_EPERM, "cannot clear ambient capabilities: %s",
				     strerror(errno));
	if (syscall(SYS_capset, &h, d) != 0)
		return kensa_err_set(err, KENSA_EPERM, "cannot drop capabilities: %s",
				     strerror(errno));
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return kensa_err_set(err, KENSA_EPERM, "cannot set no_new_privs: %s",
				     strerror(errno));
	ks_debug("capabilities dropped: keeping CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH");
	return 0;
}
