/* cgroup_throttle.h - CGROUP_THROTTLE escalation, daemon side: lower cpu.max of a worker's
 * cgroup (v2) for a bounded time, then restore the value it had. One entry per cgroup: a
 * repeated request for a throttled cgroup extends the deadline; restore_due() puts back the
 * expired ones, restore_all() everything (daemon shutdown). Fixed capacity, no allocation.
 *
 * Under sched_ext the kernel does not enforce cpu.max by itself; scx_morpheus also throttles
 * the worker internally (see bpf/scx_morpheus.bpf.c), so this write matters for the fair class
 * (after a fallback) and for kernels that pass cpu.max to the BPF scheduler. */
#ifndef MORPHEUS_CGROUP_THROTTLE_H
#define MORPHEUS_CGROUP_THROTTLE_H

#include <stdint.h>

#define CGROUP_THROTTLE_MAX      16
#define CGROUP_THROTTLE_CPU_MAX  "10000 100000" /* 10% of one CPU while throttled */

struct cgroup_throttle_entry {
	char path[320];   /* .../cpu.max */
	char saved[64];   /* its value before the throttle */
	uint64_t until_ns;
	int active;
};

struct cgroup_throttles {
	const char *cgroup_root; /* "/sys/fs/cgroup" */
	struct cgroup_throttle_entry e[CGROUP_THROTTLE_MAX];
	uint64_t applied, restored;
};

void cgroup_throttles_init(struct cgroup_throttles *t, const char *cgroup_root);
/* Throttle tid's cgroup until now_ns + dur_ns (or extend). 0, or -errno with err filled. */
int cgroup_throttle_tid(struct cgroup_throttles *t, uint32_t tid, uint64_t now_ns, uint64_t dur_ns,
			char *err, size_t errlen);
/* Restore the entries whose deadline passed (all = every active one). Returns how many. */
int cgroup_throttle_restore(struct cgroup_throttles *t, uint64_t now_ns, int all);

#endif
