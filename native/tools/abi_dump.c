/* SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0 */
/*
 * abi_dump - prints every layout offset, size and constant of morpheus_abi.h, one per line, so
 * the Java mirror (dev.morpheus.abi) can be checked against the header by AbiCrossCheckTest.
 *   CONST <JavaConstantName> <value>     a constant of dev.morpheus.abi.ScbLayout
 *   ENUM  <JavaEnum> <CONSTANT> <code>   a constant of a Java enum in dev.morpheus.abi
 * Names are the Java names, so the test needs no mapping table.
 */
#include <stddef.h>
#include <stdio.h>
#include "morpheus_abi.h"

#define CONST(name, value) printf("CONST %s %llu\n", #name, (unsigned long long)(value))
#define HDR(field, name) CONST(HEADER_##name##_OFFSET, offsetof(struct morpheus_region_header, field))
#define SCB(field, name) CONST(SCB_##name##_OFFSET, offsetof(struct morpheus_scb, field))
#define ENUM(jenum, name, value) printf("ENUM %s %s %d\n", #jenum, #name, (int)(value))

int main(void)
{
	CONST(MAGIC, MORPHEUS_MAGIC);
	CONST(ABI_MAJOR, MORPHEUS_ABI_MAJOR);
	CONST(ABI_MINOR, MORPHEUS_ABI_MINOR);
	CONST(CACHE_LINE, MORPHEUS_CACHE_LINE);
	CONST(ENTRY_SIZE, MORPHEUS_ENTRY_SIZE);
	CONST(MAX_SLOTS, MORPHEUS_MAX_SLOTS);
	CONST(REGION_ENTRIES, MORPHEUS_REGION_ENTRIES);
	CONST(REGION_SIZE, MORPHEUS_REGION_SIZE);
	CONST(HEADER_SIZE, sizeof(struct morpheus_region_header));
	CONST(SCB_SIZE, sizeof(struct morpheus_scb));
	CONST(SLICE_MIN_NS, MORPHEUS_SLICE_MIN_NS);
	CONST(SLICE_MAX_NS, MORPHEUS_SLICE_MAX_NS);
	CONST(SLICE_DEFAULT_NS, MORPHEUS_SLICE_DEFAULT_NS);
	CONST(GRACE_MIN_NS, MORPHEUS_GRACE_MIN_NS);
	CONST(GRACE_MAX_NS, MORPHEUS_GRACE_MAX_NS);
	CONST(GRACE_DEFAULT_NS, MORPHEUS_GRACE_DEFAULT_NS);
	CONST(MAX_CRITICAL_MIN_NS, MORPHEUS_MAX_CRITICAL_MIN_NS);
	CONST(MAX_CRITICAL_MAX_NS, MORPHEUS_MAX_CRITICAL_MAX_NS);
	CONST(MAX_CRITICAL_DEFAULT_NS, MORPHEUS_MAX_CRITICAL_DEFAULT_NS);

	HDR(magic, MAGIC);
	HDR(abi_major, ABI_MAJOR);
	HDR(abi_minor, ABI_MINOR);
	HDR(header_size, HEADER_SIZE);
	HDR(scb_size, SCB_SIZE);
	HDR(slot_count, SLOT_COUNT);
	HDR(sched_mode, SCHED_MODE);
	HDR(escalation, ESCALATION);
	HDR(region_id, REGION_ID);
	HDR(slice_ns, SLICE_NS);
	HDR(grace_ns, GRACE_NS);
	HDR(max_critical_ns, MAX_CRITICAL_NS);
	HDR(daemon_epoch, DAEMON_EPOCH);
	HDR(heartbeat_ns, HEARTBEAT_NS);

	SCB(hint_word, HINT_WORD);
	SCB(kernel_hint_seq, KERNEL_HINT_SEQ);
	SCB(local_hint_seq, LOCAL_HINT_SEQ);
	SCB(hint_reason, HINT_REASON);
	SCB(pressure, PRESSURE);
	SCB(hint_time_ns, HINT_TIME_NS);
	SCB(budget_remaining_ns, BUDGET_REMAINING_NS);
	SCB(escalation_count, ESCALATION_COUNT);
	SCB(last_escalation_ns, LAST_ESCALATION_NS);
	SCB(hint_loss_count, HINT_LOSS_COUNT);
	SCB(owner_tid, OWNER_TID);
	SCB(worker_state, WORKER_STATE);
	SCB(ack_word, ACK_WORD);
	SCB(kernel_ack_seq, KERNEL_ACK_SEQ);
	SCB(local_ack_seq, LOCAL_ACK_SEQ);
	SCB(critical_depth, CRITICAL_DEPTH);
	SCB(escapable, ESCAPABLE);
	SCB(critical_entry_ns, CRITICAL_ENTRY_NS);
	SCB(last_yield_cause, LAST_YIELD_CAUSE);
	SCB(yield_count, YIELD_COUNT);
	SCB(hint_yield_count, HINT_YIELD_COUNT);
	SCB(run_seq, RUN_SEQ);

	ENUM(SchedulerMode, OBSERVER, MORPHEUS_SCHED_OBSERVER);
	ENUM(SchedulerMode, ENFORCED, MORPHEUS_SCHED_ENFORCED);

	ENUM(WorkerState, INIT, MORPHEUS_WORKER_INIT);
	ENUM(WorkerState, REGISTERED, MORPHEUS_WORKER_REGISTERED);
	ENUM(WorkerState, RUNNING, MORPHEUS_WORKER_RUNNING);
	ENUM(WorkerState, QUIESCING, MORPHEUS_WORKER_QUIESCING);
	ENUM(WorkerState, DEAD, MORPHEUS_WORKER_DEAD);

	ENUM(EscalationPolicy, NONE, MORPHEUS_ESC_NONE);
	ENUM(EscalationPolicy, THREAD_KICK, MORPHEUS_ESC_THREAD_KICK);
	ENUM(EscalationPolicy, CGROUP_THROTTLE, MORPHEUS_ESC_CGROUP_THROTTLE);
	ENUM(EscalationPolicy, HYBRID, MORPHEUS_ESC_HYBRID);

	ENUM(HintReason, NONE, MORPHEUS_HINT_NONE);
	ENUM(HintReason, SLICE_EXPIRED, MORPHEUS_HINT_SLICE_EXPIRED);
	ENUM(HintReason, RUNQ_PRESSURE, MORPHEUS_HINT_RUNQ_PRESSURE);
	ENUM(HintReason, QUEUE_PRESSURE, MORPHEUS_HINT_QUEUE_PRESSURE);
	ENUM(HintReason, SCHED_WAIT, MORPHEUS_HINT_SCHED_WAIT);
	ENUM(HintReason, DEFENSIVE, MORPHEUS_HINT_DEFENSIVE);
	ENUM(HintReason, MANUAL, MORPHEUS_HINT_MANUAL);
	ENUM(HintReason, REBIND, MORPHEUS_HINT_REBIND);
	ENUM(HintReason, ESCALATION, MORPHEUS_HINT_ESCALATION);

	ENUM(YieldCause, VOLUNTARY, MORPHEUS_YIELD_VOLUNTARY);
	ENUM(YieldCause, HINT, MORPHEUS_YIELD_HINT);
	ENUM(YieldCause, BUDGET, MORPHEUS_YIELD_BUDGET);
	ENUM(YieldCause, DEADLINE, MORPHEUS_YIELD_DEADLINE);
	ENUM(YieldCause, DEFENSIVE, MORPHEUS_YIELD_DEFENSIVE);
	ENUM(YieldCause, ESCALATION_RECOVERY, MORPHEUS_YIELD_ESCALATION_RECOVERY);

	ENUM(RuntimeMode, DETERMINISTIC, MORPHEUS_MODE_DETERMINISTIC);
	ENUM(RuntimeMode, PRESSURED, MORPHEUS_MODE_PRESSURED);
	ENUM(RuntimeMode, DEFENSIVE, MORPHEUS_MODE_DEFENSIVE);

#define STAT_ENUM_LINE(id, name, desc) printf("ENUM KernelStat %s %d\n", #name, id);
	MORPHEUS_STATS(STAT_ENUM_LINE)
#undef STAT_ENUM_LINE
	CONST(STAT_COUNT, MORPHEUS_STAT_NR);
	return 0;
}
