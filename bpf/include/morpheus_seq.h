/* SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0 */
/*
 * morpheus_seq.h - how the SCB's hint sequences are compared, for the BPF programs and C.
 *
 * kernel_hint_seq and kernel_ack_seq (morpheus_abi.h) are 32-bit counters that wrap: after
 * 2^32 hints a worker's sequence is small again. "ack has reached seq" is therefore the
 * serial-number comparison (s32)(ack - seq) >= 0, true while the two are less than 2^31
 * apart, never `ack >= seq`. A program that keeps "the sequence of my pending hint, or none"
 * in a 64-bit word marks it with MORPHEUS_SEQ_PENDING, so a sequence that wrapped to 0 is
 * still a pending hint and 0 stays free to mean none.
 *
 * Include after vmlinux.h (BPF) or on its own (C: it brings <linux/types.h>).
 * Tested across the wrap by native/tests/test_seq.c.
 */
#ifndef MORPHEUS_SEQ_H
#define MORPHEUS_SEQ_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define MORPHEUS_SEQ_PENDING (1ULL << 32) /* beside a 32-bit sequence in a 64-bit word */

/* 1 when seq is at or past target (mod 2^32), 0 when it is before it. */
static inline __attribute__((always_inline)) int morpheus_seq_reached(__u32 seq, __u32 target)
{
	return (__s32)(seq - target) >= 0;
}

/* The 64-bit "pending" form of seq: never 0, whatever seq is. */
static inline __attribute__((always_inline)) __u64 morpheus_seq_pending(__u32 seq)
{
	return MORPHEUS_SEQ_PENDING | seq;
}

#endif /* MORPHEUS_SEQ_H */
