/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * morpheus_common.bpf.h - what every Morpheus BPF program shares with morpheusd: the maps of
 * the ABI (`regions`, `workers`, `stats`, `events`) and the few helpers that use them, among
 * them the one way a hint is posted (post_hint). Include it after vmlinux.h, the libbpf
 * helpers and morpheus_abi.h. Both the observer and
 * scx_morpheus use it, so the daemon finds the same maps under the same names whichever
 * program it loaded, and libmorpheus clients never see a difference.
 */
#ifndef MORPHEUS_COMMON_BPF_H
#define MORPHEUS_COMMON_BPF_H

#include "morpheus_seq.h"

/* clang 19 cannot emit BPF load-acquire/store-release; a volatile access is what the kernel's
 * own BPF code uses (the x86 and arm64 JITs keep the order of these plain accesses, and every
 * SCB writer on the JVM side uses release stores). */
#define READ_ONCE(x) (*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile typeof(x) *)&(x) = (v))

/* Inner map template: one mmapable region per client process, entry 0 the header, entry
 * slot+1 the SCB of slot. Given by size: an entry is a header or a struct morpheus_scb. */
struct region_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, MORPHEUS_REGION_ENTRIES);
	__type(key, __u32);
	__uint(value_size, MORPHEUS_ENTRY_SIZE);
};

/* One region per client, inserted by morpheusd at HELLO. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, MORPHEUS_MAX_REGIONS);
	__type(key, __u32);
	__array(values, struct region_map);
} regions SEC(".maps");

/* tid -> where its SCB is; written by morpheusd at REGISTER, trimmed here when a thread exits. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MORPHEUS_MAX_WORKERS);
	__type(key, __u32);
	__type(value, struct morpheus_worker_ref);
} workers SEC(".maps");

/* The stats table of morpheus_abi.h (MORPHEUS_STATS), per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, MORPHEUS_STAT_NR);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/* struct morpheus_event records for morpheusd. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

static __always_inline void stat_inc(__u32 id)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &id);

	if (v)
		(*v)++;
}

/* Emits an event; a full ring buffer is counted, never waited for. `ref` may be NULL. */
static __always_inline void emit(__u32 type, __u32 tid, const struct morpheus_worker_ref *ref,
				 __u64 now, __u64 value)
{
	struct morpheus_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		stat_inc(MORPHEUS_STAT_ringbuf_drops);
		return;
	}
	e->type = type;
	e->tid = tid;
	e->region = ref ? ref->region : 0;
	e->slot = ref ? ref->slot : 0;
	e->time_ns = now;
	e->value = value;
	bpf_ringbuf_submit(e, 0);
}

/* The SCB a worker ref points at, or NULL (slot out of range, region gone). */
static __always_inline struct morpheus_scb *scb_of(const struct morpheus_worker_ref *ref)
{
	__u32 region = ref->region, entry = ref->slot + 1;
	void *inner;

	if (ref->slot >= MORPHEUS_MAX_SLOTS)
		return NULL;
	inner = bpf_map_lookup_elem(&regions, &region);
	if (!inner)
		return NULL;
	return bpf_map_lookup_elem(inner, &entry);
}

/* Posts a hint into a worker's SCB, the one way both programs do it, in the order the ABI
 * header prescribes for the KERNEL fields: hint_reason, pressure, hint_time_ns and
 * budget_remaining_ns with plain stores, then kernel_hint_seq += 1 with an atomic add (a full
 * barrier on x86/arm64: whoever acquire-loads the hint word sees the fields written before
 * it). A hint posted while the previous one is unacked is counted as coalesced
 * (hints_coalesced, hint_loss_count); every hint counts in hints_posted. Returns the new
 * kernel_hint_seq (32-bit, wraps: compare it with morpheus_seq.h). */
static __always_inline __u32 post_hint(struct morpheus_scb *scb, __u32 reason, __u32 pressure,
				       __u64 now, __s64 budget)
{
	__u32 seq;

	if (READ_ONCE(scb->kernel_hint_seq) != READ_ONCE(scb->kernel_ack_seq)) {
		/* the previous hint is still unanswered */
		stat_inc(MORPHEUS_STAT_hints_coalesced);
		__sync_fetch_and_add(&scb->hint_loss_count, 1);
	}
	scb->hint_reason = reason;
	scb->pressure = pressure;
	scb->hint_time_ns = now;
	scb->budget_remaining_ns = budget;
	/* publish: the atomic add orders the stores above before the new sequence */
	seq = __sync_fetch_and_add(&scb->kernel_hint_seq, 1) + 1;
	stat_inc(MORPHEUS_STAT_hints_posted);
	return seq;
}

#endif /* MORPHEUS_COMMON_BPF_H */
