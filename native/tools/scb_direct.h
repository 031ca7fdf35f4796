/* SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0 */
/*
 * scb_direct.h - register test threads with a loaded Morpheus BPF program without the daemon,
 * by writing the pinned maps directly (root only). For the C test tools in the VM.
 *
 * Like morpheusd does per client process, the tool creates its own region (an mmapable array
 * of MORPHEUS_REGION_ENTRIES 128-byte entries), fills the header with morpheusd's own
 * morpheus_region_header_init (morpheus_region.h: magic last), puts it into
 * the first free index of the pinned `regions` map, and for each thread claims a slot and
 * writes workers[tid] = { region, slot, tgid }. All through morpheus_abi.h.
 */
#ifndef MORPHEUS_SCB_DIRECT_H
#define MORPHEUS_SCB_DIRECT_H

#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "morpheus_abi.h"
#include "morpheus_region.h"

struct scb_direct {
	int regions_fd, workers_fd, region_fd;
	__u32 region;
	void *mem;
	__u32 next_slot;
};

static inline __u64 scbd_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

static inline struct morpheus_scb *scbd_scb(struct scb_direct *d, __u32 slot)
{
	return (struct morpheus_scb *)((char *)d->mem + (size_t)(slot + 1) * MORPHEUS_ENTRY_SIZE);
}

static inline int scbd_open(struct scb_direct *d, const char *pin_dir)
{
	char path[512];
	__u32 i, id;
	int fd;

	memset(d, 0, sizeof(*d));
	snprintf(path, sizeof(path), "%s/regions", pin_dir);
	d->regions_fd = bpf_obj_get(path);
	snprintf(path, sizeof(path), "%s/workers", pin_dir);
	d->workers_fd = bpf_obj_get(path);
	if (d->regions_fd < 0 || d->workers_fd < 0) {
		fprintf(stderr, "scb_direct: cannot open pinned maps under %s: %s\n", pin_dir, strerror(errno));
		return -ENOENT;
	}
	LIBBPF_OPTS(bpf_map_create_opts, o, .map_flags = BPF_F_MMAPABLE);
	d->region_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "morpheus_region", sizeof(__u32), MORPHEUS_ENTRY_SIZE,
				      MORPHEUS_REGION_ENTRIES, &o);
	if (d->region_fd < 0) {
		fprintf(stderr, "scb_direct: create region: %s\n", strerror(errno));
		return -errno;
	}
	d->mem = mmap(NULL, MORPHEUS_REGION_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, d->region_fd, 0);
	if (d->mem == MAP_FAILED) {
		fprintf(stderr, "scb_direct: mmap region: %s\n", strerror(errno));
		return -errno;
	}
	for (i = 0; i < MORPHEUS_MAX_REGIONS; i++) {
		id = 0;
		if (bpf_map_lookup_elem(d->regions_fd, &i, &id) == 0 && id != 0)
			continue; /* taken (an empty index reads as id 0 or ENOENT) */
		fd = d->region_fd;
		if (bpf_map_update_elem(d->regions_fd, &i, &fd, BPF_ANY) == 0)
			break;
	}
	if (i == MORPHEUS_MAX_REGIONS) {
		fprintf(stderr, "scb_direct: no free region\n");
		return -ENOSPC;
	}
	d->region = i;
	{
		const struct morpheus_region_params p = { .slot_count = MORPHEUS_MAX_SLOTS, .region_id = i };

		morpheus_region_header_init(d->mem, &p);
	}
	return 0;
}

/* Registers thread tid; returns its SCB or NULL. */
static inline struct morpheus_scb *scbd_register(struct scb_direct *d, __u32 tid, int escapable)
{
	__u32 slot = __atomic_fetch_add(&d->next_slot, 1, __ATOMIC_RELAXED);
	struct morpheus_worker_ref ref = { .region = d->region, .slot = slot, .tgid = (__u32)getpid() };
	struct morpheus_scb *s;

	if (slot >= MORPHEUS_MAX_SLOTS)
		return NULL;
	s = scbd_scb(d, slot);
	s->escapable = (__u32)escapable;
	s->worker_state = MORPHEUS_WORKER_RUNNING;
	__atomic_store_n(&s->owner_tid, tid, __ATOMIC_RELEASE);
	if (bpf_map_update_elem(d->workers_fd, &tid, &ref, BPF_ANY)) {
		fprintf(stderr, "scb_direct: register tid %u: %s\n", tid, strerror(errno));
		return NULL;
	}
	return s;
}

static inline void scbd_unregister(struct scb_direct *d, __u32 tid)
{
	bpf_map_delete_elem(d->workers_fd, &tid);
}

static inline void scbd_close(struct scb_direct *d)
{
	if (d->regions_fd > 0)
		bpf_map_delete_elem(d->regions_fd, &d->region);
}

/* The checkpoint: one acquire load and a compare when no hint is pending. */
static inline int scbd_hint_pending(struct morpheus_scb *s)
{
	return __atomic_load_n(&s->kernel_hint_seq, __ATOMIC_ACQUIRE) != s->kernel_ack_seq;
}

static inline __u64 scbd_ack(struct morpheus_scb *s)
{
	__u32 seq = __atomic_load_n(&s->kernel_hint_seq, __ATOMIC_ACQUIRE);

	__atomic_store_n(&s->kernel_ack_seq, seq, __ATOMIC_RELEASE);
	s->hint_yield_count++;
	s->yield_count++;
	s->last_yield_cause = MORPHEUS_YIELD_HINT;
	return seq;
}

static inline __u32 scbd_gettid(void)
{
	return (__u32)syscall(SYS_gettid);
}

#endif /* MORPHEUS_SCB_DIRECT_H */
