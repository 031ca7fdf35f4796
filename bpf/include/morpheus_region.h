/* SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0 */
/*
 * morpheus_region.h - the one way C code lays down a region header (entry 0 of a region,
 * struct morpheus_region_header in morpheus_abi.h): morpheusd at HELLO (native/src/regions.c)
 * and the VM's test tools that own a region of their own (native/tools/scb_direct.h). The
 * JVM's in-process regions mirror it in ScbAccess.
 *
 * The header is filled with plain stores and `magic` is stored LAST with release, so a
 * reader that acquire-loads magic sees the whole header. The map is fresh (zeroed), so what a
 * caller leaves 0 in the parameters reads as 0. C only (not for the BPF programs).
 */
#ifndef MORPHEUS_REGION_H
#define MORPHEUS_REGION_H

#include "morpheus_abi.h"

/* What differs between region owners; everything else comes from morpheus_abi.h. */
struct morpheus_region_params {
	__u32 slot_count;        /* SCBs that follow the header */
	__u32 sched_mode;        /* enum morpheus_sched_mode in force */
	__u32 escalation;        /* enum morpheus_escalation in force (NONE unless enforced) */
	__u32 region_id;         /* index in `regions` */
	__u64 slice_ns;          /* the daemon's hint budget (morpheusd --hint-budget-ms) */
	__u64 grace_ns;
	__u64 max_critical_ns;
	__u64 daemon_epoch;
	__u64 heartbeat_ns;      /* the owner's first sign of life, 0: none yet */
};

static inline void morpheus_region_header_init(struct morpheus_region_header *h,
					       const struct morpheus_region_params *p)
{
	h->abi_major = MORPHEUS_ABI_MAJOR;
	h->abi_minor = MORPHEUS_ABI_MINOR;
	h->header_size = MORPHEUS_ENTRY_SIZE;
	h->scb_size = MORPHEUS_ENTRY_SIZE;
	h->slot_count = p->slot_count;
	h->sched_mode = p->sched_mode;
	h->escalation = p->escalation;
	h->region_id = p->region_id;
	h->slice_ns = p->slice_ns;
	h->grace_ns = p->grace_ns;
	h->max_critical_ns = p->max_critical_ns;
	h->daemon_epoch = p->daemon_epoch;
	h->heartbeat_ns = p->heartbeat_ns;
	/* magic last: a reader that sees it sees the whole header */
	__atomic_store_n(&h->magic, MORPHEUS_MAGIC, __ATOMIC_RELEASE);
}

#endif /* MORPHEUS_REGION_H */
