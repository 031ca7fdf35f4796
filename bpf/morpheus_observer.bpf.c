// SPDX-License-Identifier: GPL-2.0-only
/*
 * morpheus_observer.bpf.c - kernel hints for cooperative JVM workers on any BTF kernel.
 *
 * What it does
 * ------------
 * For every registered worker thread (a tid in the `workers` hash, put there by morpheusd)
 * it counts the on-CPU time the worker has consumed since it last gave its thread back
 * (slept voluntarily, or acknowledged a hint). When that passes the hint budget
 * (`hint_budget_ns`, morpheusd --hint-budget-ms; not a scheduler time slice: the kernel's own
 * scheduler decides those) while other tasks wait on the worker's CPU, it posts a hint into
 * the worker's SCB with post_hint() (morpheus_common.bpf.h): hint_reason, pressure,
 * hint_time_ns, budget_remaining_ns, then kernel_hint_seq += 1 with an atomic add (a full
 * barrier on x86/arm64, so the JVM's acquire load of the hint word sees the fields written
 * before it). The JVM answers at its next mailbox boundary by storing the hint word it saw
 * into ack_word; this program notices that kernel_ack_seq reached its hint and resets the
 * count.
 *
 * What it writes (the ABI's writer table): only the KERNEL fields of SCB line 0 - never the
 * JVM's local_hint_seq, never the worker's line (an exited worker is reported to morpheusd,
 * which releases its slot as the region's owner). Sequences are 32-bit and may wrap: compared
 * with morpheus_seq_reached(), (s32)(a - b) >= 0 (bpf/include/morpheus_seq.h). Hints are
 * posted by post_hint() of morpheus_common.bpf.h, shared with scx_morpheus.
 *
 * Programs
 *   tp_btf/sched_switch     budget accounting (on/off CPU), hint on involuntary preemption
 *                           of an overdue worker, remembers which worker runs on each CPU
 *   tp_btf/sched_wakeup(_new) a task became runnable on a CPU whose worker is overdue:
 *                           hint at once instead of at the next sample
 *   perf_event (cpu-clock)  one software sampler per CPU (the daemon attaches them, period
 *                           1 ms): the overdue check for workers that run without switching
 *   tp_btf/sched_process_exit a registered thread exited: drop it from `workers` and tell
 *                           the daemon (MORPHEUS_EV_WORKER_EXITED), which frees its slot
 *
 * Why a budget and not "continuous run since the last switch-in"
 *   Under EEVDF two CPU-bound tasks on one CPU are each preempted after a base slice of
 *   0.75-3 ms, so a worker never runs 5 ms in one stretch exactly when it matters. The budget
 *   therefore survives involuntary preemption (prev_state == TASK_RUNNING) and is reset
 *   only by a voluntary sleep or by an ack: "5 ms of CPU without returning to the pool".
 *
 * Who waits: rq->nr_running of the worker's CPU (BTF/CO-RE)
 *   nr_running counts every runnable task of every class on that CPU including the
 *   current one, so waiters = nr_running - 1. The rq is reached as
 *   task->se.cfs_rq->rq (CONFIG_FAIR_GROUP_SCHED, on in every distribution kernel): the
 *   per-CPU `runqueues` ksym would be simpler, but the verifier resolves per-CPU ksyms
 *   through kallsyms, which lacks them without CONFIG_KALLSYMS_ALL (the case here).
 *   se.cfs_rq follows the task's CPU for every class (set_task_rq on migration).
 *   It is exact at the moment of the read
 *   (read without the rq lock: a racy snapshot, good enough for a hint), follows
 *   migrations and load balancing, and needs no bookkeeping. Counting wakeups ourselves
 *   would miss migrations, throttling and tasks that were runnable before we loaded.
 *   pressure = 100 * waiters / (waiters + 1): 1 waiter 50, 3 waiters 75, never 100.
 *
 * Rate limit: one hint per hint budget used. After a hint the next one is due only after
 *   another full hint budget of CPU; a hint posted while the previous one is unacked counts as
 *   coalesced (hints_coalesced, SCB hint_loss_count).
 *
 * Limits
 *   - It cannot enforce: a worker that ignores hints keeps running (that is scx_morpheus).
 *   - Granularity: the sampler period (1 ms) plus timer slack; wakeups and preemptions are
 *     seen at once. Acks are noticed at the next sample or switch, so "late" (ack after
 *     grace_ns) has the same granularity.
 *   - A worker whose CPU has no waiter is never hinted, however long it runs.
 *   - tids are checked by the daemon at registration; a tid reused after exit is covered by
 *     the exit hook, which removes the entry before the tid can be recycled.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "morpheus_abi.h"
#include "morpheus_common.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* Settings, written by the loader before load. */
const volatile __u64 hint_budget_ns = MORPHEUS_SLICE_DEFAULT_NS; /* --hint-budget-ms */
const volatile __u64 grace_ns = MORPHEUS_GRACE_DEFAULT_NS;
const volatile bool debug_events = false; /* also emit HINT_POSTED events */

#define TASK_RUNNING_STATE 0

/* Inner map template, as a map of its own so the loader can read its parameters. */
struct region_map region_template SEC(".maps");

/* Per-worker budget state, keyed by tid; private to this program. */
struct worker_timing {
	__u64 oncpu_since;   /* ktime when it last went on CPU, 0 while off CPU */
	__u64 consumed_ns;   /* CPU consumed in this budget before oncpu_since */
	__u64 next_hint_ns;  /* consumed CPU at which the next hint is due */
	__u64 pending_seq;   /* morpheus_seq_pending(kernel_hint_seq) we posted and have not seen acked, 0 if none */
	__u64 pending_time;  /* when pending_seq was posted */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MORPHEUS_MAX_WORKERS);
	__type(key, __u32);
	__type(value, struct worker_timing);
} timings SEC(".maps");

/* Which registered worker each CPU is running (0: none). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cpu_worker SEC(".maps");

static __always_inline struct worker_timing *timing_of(__u32 tid, __u64 now)
{
	struct worker_timing *t = bpf_map_lookup_elem(&timings, &tid);
	struct worker_timing init = {};

	if (t)
		return t;
	/* first sight of this worker (registered while running): start its budget now */
	init.oncpu_since = now;
	init.next_hint_ns = hint_budget_ns;
	bpf_map_update_elem(&timings, &tid, &init, BPF_NOEXIST);
	return bpf_map_lookup_elem(&timings, &tid);
}

static __always_inline __u64 consumed(const struct worker_timing *t, __u64 now)
{
	__u64 c = t->consumed_ns;

	if (t->oncpu_since && now > t->oncpu_since)
		c += now - t->oncpu_since;
	return c;
}

static __always_inline void reset_budget(struct worker_timing *t, __u64 now, bool oncpu)
{
	t->consumed_ns = 0;
	t->next_hint_ns = hint_budget_ns;
	t->oncpu_since = oncpu ? now : 0;
}

/* Ack detection: the worker stored a kernel_ack_seq at or past the hint we posted. */
static __always_inline void check_ack(__u32 tid, const struct morpheus_worker_ref *ref,
				      struct morpheus_scb *scb, struct worker_timing *t,
				      __u64 now, bool oncpu)
{
	__u64 pending = t->pending_seq;

	if (!pending || !morpheus_seq_reached(READ_ONCE(scb->kernel_ack_seq), (__u32)pending))
		return;
	stat_inc(MORPHEUS_STAT_hints_acked);
	if (now - t->pending_time > grace_ns) {
		stat_inc(MORPHEUS_STAT_hints_acked_late);
		emit(MORPHEUS_EV_HINT_ACK_LATE, tid, ref, now, now - t->pending_time);
	}
	t->pending_seq = 0;
	reset_budget(t, now, oncpu);
}

/* Tasks waiting on the run queue `p` is on (p itself running or queued there). */
static __always_inline __u32 waiters_with(struct task_struct *p)
{
	struct cfs_rq *cfs;
	struct rq *rq;
	__u32 nr;

	if (!bpf_core_field_exists(struct cfs_rq, rq))
		return 0; /* no CONFIG_FAIR_GROUP_SCHED: cannot tell, never hint */
	cfs = BPF_CORE_READ(p, se.cfs_rq);
	if (!cfs)
		return 0;
	rq = BPF_CORE_READ(cfs, rq);
	if (!rq)
		return 0;
	nr = BPF_CORE_READ(rq, nr_running);
	return nr > 1 ? nr - 1 : 0;
}

/* The overdue check shared by all programs. Waiters are read from the rq `on_rq_of` is on;
 * min_waiters is what the caller already knows (a preemption proves one). */
static __always_inline void maybe_hint(__u32 tid, const struct morpheus_worker_ref *ref,
				       struct worker_timing *t, __u64 now,
				       struct task_struct *on_rq_of, __u32 min_waiters)
{
	struct morpheus_scb *scb;
	__u64 used;
	__u32 seq;
	__u32 waiters;

	used = consumed(t, now);
	if (used < t->next_hint_ns)
		return;
	waiters = waiters_with(on_rq_of);
	if (waiters < min_waiters)
		waiters = min_waiters;
	if (!waiters)
		return; /* nobody waits: no hint, however long it runs */
	scb = scb_of(ref);
	if (!scb) {
		stat_inc(MORPHEUS_STAT_scb_misses);
		return;
	}
	seq = post_hint(scb, MORPHEUS_HINT_SLICE_EXPIRED, waiters * 100 / (waiters + 1), now,
			(__s64)hint_budget_ns - (__s64)used);
	if (!t->pending_seq)
		t->pending_time = now;
	t->pending_seq = morpheus_seq_pending(seq);
	t->next_hint_ns = used + hint_budget_ns; /* one hint per budget */
	if (debug_events)
		emit(MORPHEUS_EV_HINT_POSTED, tid, ref, now, used - hint_budget_ns);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(morpheus_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	__u64 now = bpf_ktime_get_ns();
	__u32 prev_tid = prev->pid, next_tid = next->pid, zero = 0;
	struct morpheus_worker_ref *ref;
	struct worker_timing *t;
	struct morpheus_scb *scb;
	__u32 *cw;

	ref = bpf_map_lookup_elem(&workers, &prev_tid);
	if (ref && (t = timing_of(prev_tid, now))) {
		stat_inc(MORPHEUS_STAT_switches);
		scb = scb_of(ref);
		if (scb)
			check_ack(prev_tid, ref, scb, t, now, true);
		if (prev_state == TASK_RUNNING_STATE) {
			/* preempted or yielded while runnable: the budget goes on. `next`
			 * was waiting, so there is at least one waiter. */
			maybe_hint(prev_tid, ref, t, now, prev, 1);
			t->consumed_ns = consumed(t, now);
			t->oncpu_since = 0;
		} else {
			/* went to sleep: it gave its thread back */
			reset_budget(t, now, false);
		}
	}

	cw = bpf_map_lookup_elem(&cpu_worker, &zero);
	ref = bpf_map_lookup_elem(&workers, &next_tid);
	if (cw)
		*cw = ref ? next_tid : 0;
	if (ref && (t = timing_of(next_tid, now))) {
		t->oncpu_since = now;
		scb = scb_of(ref);
		if (scb)
			check_ack(next_tid, ref, scb, t, now, true);
	}
	return 0;
}

static __always_inline int on_wakeup(struct task_struct *p)
{
	__u32 zero = 0, *cw, tid;
	__s32 cpu = BPF_CORE_READ(p, thread_info.cpu);
	struct morpheus_worker_ref *ref;
	struct worker_timing *t;

	cw = bpf_map_lookup_percpu_elem(&cpu_worker, &zero, cpu);
	if (!cw || !(tid = *cw) || tid == (__u32)p->pid)
		return 0;
	ref = bpf_map_lookup_elem(&workers, &tid);
	if (!ref)
		return 0;
	t = bpf_map_lookup_elem(&timings, &tid);
	if (!t || !t->oncpu_since)
		return 0;
	maybe_hint(tid, ref, t, bpf_ktime_get_ns(), p, 0);
	return 0;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(morpheus_wakeup, struct task_struct *p)
{
	return on_wakeup(p);
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(morpheus_wakeup_new, struct task_struct *p)
{
	return on_wakeup(p);
}

SEC("perf_event")
int morpheus_sample(struct bpf_perf_event_data *ctx)
{
	struct task_struct *cur = bpf_get_current_task_btf();
	__u32 tid = cur->pid;
	__u64 now;
	struct morpheus_worker_ref *ref;
	struct worker_timing *t;
	struct morpheus_scb *scb;

	stat_inc(MORPHEUS_STAT_samples);
	if (!tid)
		return 0;
	ref = bpf_map_lookup_elem(&workers, &tid);
	if (!ref)
		return 0;
	now = bpf_ktime_get_ns();
	t = timing_of(tid, now);
	if (!t)
		return 0;
	if (!t->oncpu_since)
		t->oncpu_since = now; /* missed its switch-in (registered while running) */
	scb = scb_of(ref);
	if (!scb) {
		stat_inc(MORPHEUS_STAT_scb_misses);
		return 0;
	}
	check_ack(tid, ref, scb, t, now, true);
	maybe_hint(tid, ref, t, now, cur, 0);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(morpheus_exit, struct task_struct *p)
{
	__u32 tid = p->pid;
	struct morpheus_worker_ref *ref, copy;

	ref = bpf_map_lookup_elem(&workers, &tid);
	if (!ref)
		return 0;
	copy = *ref;
	/* no SCB write: worker_state is the worker's; morpheusd frees the slot on the event */
	bpf_map_delete_elem(&workers, &tid);
	bpf_map_delete_elem(&timings, &tid);
	stat_inc(MORPHEUS_STAT_worker_exits);
	emit(MORPHEUS_EV_WORKER_EXITED, tid, &copy, bpf_ktime_get_ns(), copy.tgid);
	return 0;
}
