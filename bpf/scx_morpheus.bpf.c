/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scx_morpheus - a sched_ext scheduler that asks registered workers to yield, and in
 * enforced mode preempts the ones that ignore it.
 *
 * What it does
 * ------------
 * It schedules EVERY task of the machine, not only Morpheus workers, with a weighted virtual
 * time (vtime) policy over one shared dispatch queue (SHARED_DSQ):
 *   - a waking task that finds an idle CPU goes straight to that CPU's local DSQ;
 *   - everything else is inserted into SHARED_DSQ ordered by vtime, and an idle CPU is kicked
 *     so the queue never waits while a CPU sleeps (work-conserving);
 *   - each CPU's ops.dispatch pulls the lowest-vtime task from SHARED_DSQ, unless the task
 *     whose slice just ended is still behind that one in vtime: then it keeps the CPU (else
 *     a queue holding a single waiter degenerates into round-robin by slice length, and a
 *     worker's long backstop slice, below, would buy it ~1.7x a fair share);
 *   - a task's vtime advances by the time it ran, scaled by 100/weight, and a task that slept
 *     is put back at most one maximal slice behind the current vtime, so a sleeper cannot
 *     bank credit and nobody waits behind an unbounded backlog (no starvation).
 *
 * Workers are threads listed in the `workers` map (tid -> region, slot; written by morpheusd
 * or, in tests, by a root tool). Each has a shared control block (SCB) in an mmapable array
 * (`regions`, one inner array per client process), the same maps and ABI as the observer
 * program (bpf/include/morpheus_abi.h). On each scheduler tick while a worker runs:
 *   1. when it has run for its slice and other tasks wait (SHARED_DSQ or its CPU's local DSQ
 *      not empty), a hint is posted into its SCB (reason, pressure, time, overdue budget, then
 *      hint_seq += 1 atomically, the order the ABI header prescribes);
 *   2. the worker answers by storing ack_seq = hint_seq and yielding; the scheduler counts
 *      the ack (late if after the grace period) and starts a new slice for it;
 *   3. ENFORCED mode only: a worker still running `grace` after the hint (or after its last
 *      escalation) with the hint unacked, that registered as escapable and is outside a
 *      critical section, is escalated by the configured policy:
 *        THREAD_KICK      scx_bpf_kick_cpu(cpu, SCX_KICK_PREEMPT): off the CPU now;
 *        CGROUP_THROTTLE  off the CPU now and parked in THROTTLED_DSQ for throttle_ns
 *                         (100 ms): it runs then only on a CPU that has nothing else to do
 *                         (work-conserving), and gets a new grace period when it is back,
 *                         a real CPU-share drop; plus an EV_ESCALATED event on which the
 *                         daemon lowers cpu.max of the worker's cgroup for the same bounded
 *                         time and restores it (see Limits);
 *        HYBRID           kick on the first escalation of a hint, throttle on repeats.
 *      A critical section (critical_depth > 0) is honoured for at most max_critical_ns from
 *      critical_entry_ns; past that the worker is escalated anyway and the overrun counted.
 *   OBSERVER mode never escalates.
 *
 * Wake-ups (no waiting for a tick)
 * --------------------------------
 * A waking task that finds no idle CPU looks at what each CPU runs (`cpu_states`, written in
 * running/stopping): the task that has run the longest (and is ahead of the wakee in vtime)
 * is asked to make room at once. A registered worker gets its hint right away, however
 * briefly it ran (reason RUNQ_PRESSURE; the worker's tick adopts it as its pending hint, so
 * acks, lateness and escalation apply as usual) and yields at its next checkpoint; any other
 * task that ran at least 1 ms is preempted with SCX_KICK_PREEMPT, as the fair class preempts
 * on wake-up (a kick costs an IPI and a context switch, a hint nothing). Tasks pinned to
 * fewer than all CPUs skip this and wait for the end of a slice.
 *
 * Slices (adaptive, documented formula)
 * -------------------------------------
 * With adaptive slicing on, the slice of every task (and a worker's hint deadline) is
 *     slice = clamp(10 ms * nr_cpus / (nr_cpus + depth), 2 ms, 10 ms)
 * where depth = tasks queued in SHARED_DSQ when the slice is computed: 10 ms with nothing
 * waiting, 5 ms with one waiter per CPU, the 2 ms floor at four waiters per CPU. Without it,
 * other tasks get 5 ms and workers the configured slice_ns.
 * A worker's kernel slice (when the kernel itself would preempt it) is a backstop:
 * slice + grace (observer) or slice + grace + max_critical + 2 ticks (enforced), so even a
 * worker that ignores everything, or is not escapable, can never hold a CPU unboundedly.
 *
 * Why
 * ---
 * A cooperative runtime yields best at its own boundaries (between messages); the kernel knows
 * best when someone is waiting. Hints carry the kernel's knowledge to the runtime; escalation
 * is failure recovery for a worker that does not cooperate, never the scheduling policy.
 *
 * Limits
 * ------
 * - Granularity is the scheduler tick (4 ms at HZ=250) for slice-expiry hints and
 *   escalations: they land up to one tick late (wake-up hints do not wait for it).
 * - One shared DSQ: simple and fair, but it serialises dispatch on one lock; fine for the
 *   small machines this targets, not for hundreds of CPUs.
 * - cpu.max written by the daemon is not enforced by the ext class itself. Under sched_ext the kernel hands
 *   cpu.max to the BPF scheduler (ops.cgroup_set_bandwidth, kernels >= 6.17); scx_morpheus
 *   honours it as a fair-share cap, not a hard bandwidth limit: tasks of a cgroup with
 *   quota/period = q are charged vtime at 1/q the normal rate, so under contention they get
 *   about q of what they would otherwise get, and when the CPU is free they still run
 *   (work-conserving; nobody is starved). Older kernels never call the callback: there the
 *   throttle has no effect on sched_ext tasks.
 * - Kernels that export only the 7.x argument-extended kfunc forms are refused by the loader.
 */
#define BPF_NO_KFUNC_PROTOTYPES
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "scx_compat.bpf.h"
#include "morpheus_abi.h"
#include "morpheus_common.bpf.h"

char _license[] SEC("license") = "GPL";

enum {
	SHARED_DSQ   = 0,
	THROTTLED_DSQ = 1,                  /* throttled workers, see CGROUP_THROTTLE */
	NSEC_PER_MSEC = 1000000ULL,
	OTHER_SLICE_NS = 5 * NSEC_PER_MSEC, /* non-adaptive slice of non-workers */
	TICK_SLACK_NS = 8 * NSEC_PER_MSEC,  /* two ticks at HZ=250 */
	WAKE_MIN_RUN_NS = 1 * NSEC_PER_MSEC, /* wake-up preemption: victim ran at least this */
	MAX_CPUS = 64,                      /* cpu_states entries scanned on a wake-up */
};
#define EARLY_CLAIMED ((u64)-1)             /* cpu_state.early_seq while a hint is being posted */

/* Settings, written by the loader before load. */
const volatile u32 sched_mode = MORPHEUS_SCHED_OBSERVER;
const volatile u32 escalation = MORPHEUS_ESC_NONE;
const volatile u64 slice_ns = MORPHEUS_SLICE_DEFAULT_NS;
const volatile u64 grace_ns = MORPHEUS_GRACE_DEFAULT_NS;
const volatile u64 max_critical_ns = MORPHEUS_MAX_CRITICAL_DEFAULT_NS;
const volatile u64 throttle_ns = 100 * 1000 * 1000ULL;
const volatile bool adaptive_slice = true;
const volatile u32 nr_cpus = 1;

/* Current virtual time: the largest vtime of a task that started running. */
static u64 vtime_now;
/* THROTTLED_DSQ is served before SHARED_DSQ again from this time on (latest throttle end). */
static u64 throttle_gate;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct morpheus_exit_info);
} exit_info SEC(".maps");

/* What each CPU runs now, for wake-up preemption (read from other CPUs: a plain ARRAY). */
struct cpu_state {
	u32 tid;            /* current task, 0 when idle */
	u32 is_worker;      /* registered worker (hint instead of preempting) */
	u64 started_at;     /* when it started running (workers: start of its current slice) */
	u64 vtime;          /* its vtime when it started */
	u64 early_seq;      /* hint_seq posted to it by a wake-up, adopted by its tick */
	u64 early_at;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_CPUS);
	__type(key, u32);
	__type(value, struct cpu_state);
} cpu_states SEC(".maps");

/* Per-task scheduling state, for every task (workers use the hint fields too). */
struct task_ctx {
	u64 running_at;     /* when it last started running (vtime charging) */
	u64 slice_start;    /* start of the current worker slice: run start or last ack */
	u64 hint_slice;     /* the slice this worker got for its current run */
	u64 posted_seq;     /* hint_seq value our latest hint produced, 0: none pending */
	u64 posted_at;      /* when that hint was posted */
	u64 last_esc_at;    /* last escalation for the pending hint */
	u32 esc_for_hint;   /* escalations for the pending hint (HYBRID: kick, then throttle) */
	u32 overrun_counted;/* critical overrun already counted for this hint */
	u64 throttled_until;/* CGROUP_THROTTLE: kept in THROTTLED_DSQ until then, 0: not */
	u32 kicked;         /* escalated off its CPU: never kept running by dispatch */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_ctx);
} task_ctxs SEC(".maps");

/* cgroup id -> share in per mille (1..999) for cgroups whose cpu.max caps them. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u64);
	__type(value, u32);
} cgroup_share SEC(".maps");

static s64 nr_capped_cgroups;

static __always_inline bool vtime_before(u64 a, u64 b)
{
	return (s64)(a - b) < 0;
}

/* The adaptive slice (formula in the header comment). */
static __always_inline u64 adaptive_slice_ns(void)
{
	u64 ncpu = nr_cpus ? nr_cpus : 1;
	s32 depth = scx_bpf_dsq_nr_queued(SHARED_DSQ);
	u64 s;

	if (depth < 0)
		depth = 0;
	s = MORPHEUS_ADAPTIVE_SLICE_MAX_NS * ncpu / (ncpu + (u64)depth);
	if (s < MORPHEUS_ADAPTIVE_SLICE_MIN_NS)
		s = MORPHEUS_ADAPTIVE_SLICE_MIN_NS;
	return s;
}

/* Kernel slice of a task: workers get the backstop described in the header comment. */
static __always_inline u64 task_slice(struct task_struct *p)
{
	u32 tid = p->pid;
	u64 s = adaptive_slice ? adaptive_slice_ns() : OTHER_SLICE_NS;

	if (bpf_map_lookup_elem(&workers, &tid)) {
		u64 ws = adaptive_slice ? s : slice_ns;

		if (sched_mode == MORPHEUS_SCHED_ENFORCED)
			return ws + grace_ns + max_critical_ns + TICK_SLACK_NS;
		return ws + grace_ns;
	}
	return s;
}

/* Someone other than the current task waits for this CPU. */
static __always_inline bool others_waiting(s32 cpu)
{
	return scx_bpf_dsq_nr_queued(SHARED_DSQ) > 0 ||
	       scx_bpf_dsq_nr_queued(SCX_DSQ_LOCAL_ON | (u64)cpu) > 0;
}

static __always_inline u32 pressure_of(void)
{
	u64 ncpu = nr_cpus ? nr_cpus : 1;
	s32 depth = scx_bpf_dsq_nr_queued(SHARED_DSQ);
	u64 p;

	if (depth <= 0)
		return 0;
	p = (u64)depth * 25 / ncpu; /* four waiters per CPU: 100 */
	return p > 100 ? 100 : (u32)p;
}

/* Post a hint into a worker's SCB: reason, pressure, time, budget, then hint_seq += 1
 * atomically (the order the ABI header prescribes). Returns the new hint_seq. */
static __always_inline u64 post_hint(struct morpheus_scb *scb, u32 reason, u32 pressure, u64 now,
				     s64 budget)
{
	if (READ_ONCE(scb->kernel_hint_seq) != READ_ONCE(scb->kernel_ack_seq)) {
		__sync_fetch_and_add(&scb->hint_loss_count, 1);
		stat_inc(MORPHEUS_STAT_hints_coalesced);
	}
	scb->hint_reason = reason;
	scb->pressure = pressure;
	scb->hint_time_ns = now;
	scb->budget_remaining_ns = budget;
	/* release: the fields above are visible to whoever acquire-loads hint_seq */
	return __sync_fetch_and_add(&scb->kernel_hint_seq, 1) + 1;
}

/* A task woke up and no CPU is idle. Pick the CPU whose current task has run the longest
 * (at least WAKE_MIN_RUN_NS, and further in vtime than the wakee): a worker there gets its
 * hint now instead of at the next tick (it yields at its next checkpoint: cooperative), any
 * other task is preempted (SCX_KICK_PREEMPT), like the fair class's wake-up preemption. */
struct wake_scan {
	u64 now, vtime, best_ran;
	s32 best;
};

/* bpf_loop callback: is CPU idx the best victim so far? */
static long wake_scan_cpu(u32 idx, void *data)
{
	struct wake_scan *ws = data;
	struct cpu_state *cs = bpf_map_lookup_elem(&cpu_states, &idx);
	u64 ran;

	if (!cs || !READ_ONCE(cs->tid))
		return 0;
	ran = ws->now - READ_ONCE(cs->started_at);
	/* workers: any run time (a hint is free); others: WAKE_MIN_RUN_NS (a kick is not) */
	if ((!cs->is_worker && (s64)ran < WAKE_MIN_RUN_NS) || (ws->best >= 0 && ran <= ws->best_ran))
		return 0;
	if (!vtime_before(ws->vtime, cs->vtime + ran))
		return 0; /* the wakee is not owed CPU time by this one */
	if (cs->is_worker && READ_ONCE(cs->early_seq))
		return 0; /* already asked */
	ws->best = (s32)idx;
	ws->best_ran = ran;
	return 0;
}

static __always_inline void preempt_for_wakeup(struct task_struct *p, u64 vtime)
{
	struct wake_scan ws = { .now = bpf_ktime_get_ns(), .vtime = vtime, .best = -1 };
	struct cpu_state *best_cs;
	struct morpheus_worker_ref *ref;
	struct morpheus_scb *scb;
	u64 now = ws.now, seq;
	s32 best;
	u32 tid;

	if (p->nr_cpus_allowed < (int)nr_cpus)
		return; /* pinned tasks wait for their CPU's next slice end */
	bpf_loop(nr_cpus < MAX_CPUS ? nr_cpus : MAX_CPUS, wake_scan_cpu, &ws, 0);
	best = ws.best;
	best_cs = best >= 0 ? bpf_map_lookup_elem(&cpu_states, &best) : NULL;
	if (best < 0 || !best_cs)
		return;
	if (!best_cs->is_worker) {
		scx_bpf_kick_cpu(best, SCX_KICK_PREEMPT);
		return;
	}
	tid = READ_ONCE(best_cs->tid);
	ref = bpf_map_lookup_elem(&workers, &tid);
	scb = ref ? scb_of(ref) : NULL;
	if (!scb || READ_ONCE(scb->kernel_hint_seq) != READ_ONCE(scb->kernel_ack_seq))
		return; /* a hint is already pending: the tick takes it from here */
	if (__sync_val_compare_and_swap(&best_cs->early_seq, 0, EARLY_CLAIMED) != 0)
		return; /* another wake-up got there first */
	seq = post_hint(scb, MORPHEUS_HINT_RUNQ_PRESSURE, pressure_of(), now, 0);
	best_cs->early_at = now;
	WRITE_ONCE(best_cs->early_seq, seq);
	stat_inc(MORPHEUS_STAT_hints_posted);
	emit(MORPHEUS_EV_HINT_POSTED, tid, ref, now, seq);
}

s32 BPF_STRUCT_OPS(morpheus_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;
	s32 cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);

	if (is_idle)
		compat_dsq_insert(p, SCX_DSQ_LOCAL, task_slice(p), 0);
	return cpu;
}

void BPF_STRUCT_OPS(morpheus_enqueue, struct task_struct *p, u64 enq_flags)
{
	u64 vtime = p->scx.dsq_vtime;
	u64 floor = vtime_now - MORPHEUS_ADAPTIVE_SLICE_MAX_NS;
	s32 cpu;

	struct task_ctx *tc = bpf_task_storage_get(&task_ctxs, p, 0, 0);
	bool throttled = tc && tc->throttled_until && vtime_before(bpf_ktime_get_ns(), tc->throttled_until);

	/* A sleeper comes back at most one maximal slice behind: no banked credit. */
	if (vtime_before(vtime, floor))
		vtime = floor;
	compat_dsq_insert_vtime(p, throttled ? THROTTLED_DSQ : SHARED_DSQ, task_slice(p), vtime, enq_flags);

	/* Work-conserving: wake an idle CPU the task may run on. */
	cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	if (cpu >= 0) {
		scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
		return;
	}
	/* No idle CPU: a woken task should not wait for a tick (see "Wake-ups"). */
	if ((enq_flags & SCX_ENQ_WAKEUP) && !throttled)
		preempt_for_wakeup(p, vtime);
}

/* vtime of the first task in a vtime-ordered DSQ; false when it is empty. */
static __always_inline bool dsq_head_vtime(u64 dsq, u64 *vtime)
{
	struct bpf_iter_scx_dsq it;
	struct task_struct *p;
	bool found = false;

	bpf_iter_scx_dsq_new(&it, dsq, 0);
	p = bpf_iter_scx_dsq_next(&it);
	if (p) {
		*vtime = p->scx.dsq_vtime;
		found = true;
	}
	bpf_iter_scx_dsq_destroy(&it);
	return found;
}

/* prev used up its slice but is still runnable: keep it on the CPU when it is still behind
 * the first waiter in vtime (its vtime counts the current run, charged only at stopping).
 * Without this the shared queue is plain round-robin whenever it holds a single waiter, and
 * a worker's long backstop slice would buy it more than its fair share. */
static __always_inline bool keep_prev(struct task_struct *prev, u64 now)
{
	struct task_ctx *tc = bpf_task_storage_get(&task_ctxs, prev, 0, 0);
	u64 head, pv;

	if (!tc || tc->kicked || (tc->throttled_until && vtime_before(now, tc->throttled_until)))
		return false;
	if (!dsq_head_vtime(SHARED_DSQ, &head))
		return false;
	pv = prev->scx.dsq_vtime + (now - tc->running_at) * 100 / (prev->scx.weight ? prev->scx.weight : 100);
	return vtime_before(pv, head);
}

/* Throttled workers first once their throttle is over (they have waited), then prev if it is
 * still owed CPU time, then the lowest vtime waiting; a throttled worker runs early only when
 * nothing else would (work-conserving): when this returns without a task the kernel keeps
 * prev running if it still can. */
void BPF_STRUCT_OPS(morpheus_dispatch, s32 cpu, struct task_struct *prev)
{
	u64 now = bpf_ktime_get_ns();

	if (!vtime_before(now, READ_ONCE(throttle_gate)) && compat_dsq_move_to_local(THROTTLED_DSQ))
		return;
	if (prev && (prev->scx.flags & SCX_TASK_QUEUED) && keep_prev(prev, now)) {
		prev->scx.slice = task_slice(prev);
		return;
	}
	if (compat_dsq_move_to_local(SHARED_DSQ))
		return;
	if (prev && (prev->scx.flags & SCX_TASK_QUEUED))
		return; /* prev is still runnable: the kernel keeps it on this CPU */
	compat_dsq_move_to_local(THROTTLED_DSQ);
}

static __always_inline struct cpu_state *this_cpu_state(void)
{
	u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&cpu_states, &cpu);
}

/* A hint posted by a wake-up on another CPU (preempt_for_wakeup) becomes this worker's
 * pending hint: acks, lateness and escalation then work as for a tick's hint. */
static __always_inline void adopt_early_hint(struct cpu_state *cs, u32 tid, struct task_ctx *tc)
{
	u64 seq;

	if (!cs || READ_ONCE(cs->tid) != tid)
		return;
	seq = READ_ONCE(cs->early_seq);
	if (!seq || seq == EARLY_CLAIMED)
		return;
	if (!tc->posted_seq) {
		tc->posted_seq = seq;
		tc->posted_at = cs->early_at;
		tc->last_esc_at = 0;
	}
	WRITE_ONCE(cs->early_seq, 0);
}

void BPF_STRUCT_OPS(morpheus_running, struct task_struct *p)
{
	struct cpu_state *cs = this_cpu_state();
	struct task_ctx *tc;
	u64 now = bpf_ktime_get_ns();
	u32 tid = p->pid;

	if (vtime_before(vtime_now, p->scx.dsq_vtime))
		vtime_now = p->scx.dsq_vtime;
	tc = bpf_task_storage_get(&task_ctxs, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!tc)
		return;
	if (tc->throttled_until) {
		/* back from a throttle: a fresh grace period before the next escalation */
		tc->throttled_until = 0;
		tc->last_esc_at = now;
	}
	tc->running_at = now;
	tc->slice_start = now;
	tc->hint_slice = adaptive_slice ? adaptive_slice_ns() : slice_ns;
	if (cs) {
		cs->started_at = now;
		cs->vtime = p->scx.dsq_vtime;
		cs->is_worker = bpf_map_lookup_elem(&workers, &tid) != NULL;
		cs->early_seq = 0;
		WRITE_ONCE(cs->tid, tid);
	}
}

void BPF_STRUCT_OPS(morpheus_stopping, struct task_struct *p, bool runnable)
{
	struct cpu_state *cs = this_cpu_state();
	struct task_ctx *tc = bpf_task_storage_get(&task_ctxs, p, 0, 0);
	u64 now = bpf_ktime_get_ns(), ran;
	u32 tid = p->pid;

	if (!tc)
		return;
	ran = now - tc->running_at;
	/* Weighted fairness: vtime advances by the time run, scaled by 100/weight. */
	ran = ran * 100 / (p->scx.weight ? p->scx.weight : 100);
	/* A cgroup capped by cpu.max pays 1000/share per mille (see Limits). */
	if (READ_ONCE(nr_capped_cgroups) && bpf_ksym_exists(scx_bpf_task_cgroup)) {
		struct cgroup *cg = scx_bpf_task_cgroup(p);

		if (cg) {
			u64 id = cg->kn->id;
			u32 *share = bpf_map_lookup_elem(&cgroup_share, &id);

			if (share && *share)
				ran = ran * 1000 / *share;
			bpf_cgroup_release(cg);
		}
	}
	p->scx.dsq_vtime += ran;
	tc->kicked = 0;
	if (bpf_map_lookup_elem(&workers, &tid)) {
		stat_inc(MORPHEUS_STAT_switches);
		adopt_early_hint(cs, tid, tc);
	}
	if (cs)
		WRITE_ONCE(cs->tid, 0);
}

void BPF_STRUCT_OPS(morpheus_enable, struct task_struct *p)
{
	p->scx.dsq_vtime = vtime_now;
}

static __always_inline void escalate(struct task_struct *p, u32 tid, s32 cpu,
				     const struct morpheus_worker_ref *ref,
				     struct morpheus_scb *scb, struct task_ctx *tc, u64 now)
{
	u32 policy = escalation;

	if (policy == MORPHEUS_ESC_HYBRID)
		policy = tc->esc_for_hint == 0 ? MORPHEUS_ESC_THREAD_KICK
					       : MORPHEUS_ESC_CGROUP_THROTTLE;
	tc->esc_for_hint++;
	tc->last_esc_at = now;
	tc->kicked = 1;
	__sync_fetch_and_add(&scb->escalation_count, 1);
	scb->last_escalation_ns = now;
	if (policy == MORPHEUS_ESC_THREAD_KICK) {
		stat_inc(MORPHEUS_STAT_escalations_kick);
	} else {
		/* Throttle inside the scheduler: off the CPU now and parked in THROTTLED_DSQ for
		 * throttle_ns unless a CPU has nothing else to run (a CPU-share drop that stays
		 * work-conserving); the daemon also lowers cpu.max (EV_ESCALATED). */
		stat_inc(MORPHEUS_STAT_escalations_throttle);
		tc->throttled_until = now + throttle_ns;
		if (vtime_before(READ_ONCE(throttle_gate), tc->throttled_until))
			WRITE_ONCE(throttle_gate, tc->throttled_until);
	}
	scx_bpf_kick_cpu(cpu, SCX_KICK_PREEMPT);
	emit(MORPHEUS_EV_ESCALATED, tid, ref, now, policy);
}

void BPF_STRUCT_OPS(morpheus_tick, struct task_struct *p)
{
	u32 tid = p->pid;
	struct morpheus_worker_ref *ref = bpf_map_lookup_elem(&workers, &tid);
	struct morpheus_scb *scb;
	struct cpu_state *cs;
	struct task_ctx *tc;
	u64 now, ack;
	s32 cpu;

	if (!ref)
		return;
	tc = bpf_task_storage_get(&task_ctxs, p, 0, 0);
	if (!tc)
		return;
	scb = scb_of(ref);
	if (!scb) {
		stat_inc(MORPHEUS_STAT_scb_misses);
		return;
	}
	now = bpf_ktime_get_ns();
	stat_inc(MORPHEUS_STAT_samples);
	cpu = scx_bpf_task_cpu(p);
	cs = this_cpu_state();
	adopt_early_hint(cs, tid, tc);
	ack = READ_ONCE(scb->kernel_ack_seq);

	/* 2. the pending hint was answered: count it and start a new slice. */
	if (tc->posted_seq && ack >= tc->posted_seq) {
		stat_inc(MORPHEUS_STAT_hints_acked);
		if (now - tc->posted_at > grace_ns) {
			stat_inc(MORPHEUS_STAT_hints_acked_late);
			emit(MORPHEUS_EV_HINT_ACK_LATE, tid, ref, now, now - tc->posted_at);
		}
		tc->posted_seq = 0;
		tc->esc_for_hint = 0;
		tc->overrun_counted = 0;
		tc->slice_start = now;
		if (cs)
			WRITE_ONCE(cs->started_at, now);
	}

	/* 1. slice used up while others wait: post a hint. */
	if (!tc->posted_seq) {
		u64 ran = now - tc->slice_start, seq;

		if (ran < tc->hint_slice || !others_waiting(cpu))
			return;
		seq = post_hint(scb, MORPHEUS_HINT_SLICE_EXPIRED, pressure_of(), now,
				(s64)tc->hint_slice - (s64)ran);
		tc->posted_seq = seq;
		tc->posted_at = now;
		tc->last_esc_at = 0;
		stat_inc(MORPHEUS_STAT_hints_posted);
		emit(MORPHEUS_EV_HINT_POSTED, tid, ref, now, seq);
		return;
	}

	/* 3. hint pending past grace: escalate (enforced mode, escapable workers only). */
	if (sched_mode != MORPHEUS_SCHED_ENFORCED || escalation == MORPHEUS_ESC_NONE)
		return;
	if (!READ_ONCE(scb->escapable))
		return;
	if (now - (tc->last_esc_at ? tc->last_esc_at : tc->posted_at) < grace_ns)
		return;
	if (READ_ONCE(scb->critical_depth) > 0) {
		u64 entry = READ_ONCE(scb->critical_entry_ns);

		if (entry && now - entry < max_critical_ns)
			return; /* honoured, still within its bound */
		if (!tc->overrun_counted) {
			tc->overrun_counted = 1;
			stat_inc(MORPHEUS_STAT_critical_overruns);
			emit(MORPHEUS_EV_CRITICAL_OVERRUN, tid, ref, now, entry ? now - entry : 0);
		}
	}
	escalate(p, tid, cpu, ref, scb, tc, now);
}

/* cpu.max changed (kernels >= 6.17): remember the share of capped cgroups. */
void BPF_STRUCT_OPS(morpheus_cgroup_set_bandwidth, struct cgroup *cgrp, u64 period_us, u64 quota_us,
		    u64 burst_us)
{
	u64 id = cgrp->kn->id, share;
	u32 v;

	if (!period_us || quota_us >= period_us * (nr_cpus ? nr_cpus : 1)) {
		if (!bpf_map_delete_elem(&cgroup_share, &id))
			__sync_fetch_and_add(&nr_capped_cgroups, -1);
		return;
	}
	share = quota_us * 1000 / period_us;
	v = share < 1 ? 1 : share > 999 ? 999 : (u32)share;
	if (bpf_map_update_elem(&cgroup_share, &id, &v, BPF_NOEXIST) == 0)
		__sync_fetch_and_add(&nr_capped_cgroups, 1);
	else
		bpf_map_update_elem(&cgroup_share, &id, &v, BPF_EXIST);
}

/* A registered thread exits without unregistering: clean up its entry. */
void BPF_STRUCT_OPS(morpheus_exit_task, struct task_struct *p, struct scx_exit_task_args *args)
{
	u32 tid = p->pid;
	struct morpheus_worker_ref *ref = bpf_map_lookup_elem(&workers, &tid);

	if (!ref || ref->tgid != (u32)p->tgid)
		return;
	stat_inc(MORPHEUS_STAT_worker_exits);
	emit(MORPHEUS_EV_WORKER_EXITED, tid, ref, bpf_ktime_get_ns(), 0);
	bpf_map_delete_elem(&workers, &tid);
}

s32 BPF_STRUCT_OPS_SLEEPABLE(morpheus_init)
{
	s32 err = scx_bpf_create_dsq(SHARED_DSQ, -1);

	return err ? err : scx_bpf_create_dsq(THROTTLED_DSQ, -1);
}

void BPF_STRUCT_OPS(morpheus_exit, struct scx_exit_info *ei)
{
	u32 zero = 0;
	struct morpheus_exit_info *xi = bpf_map_lookup_elem(&exit_info, &zero);

	if (!xi)
		return;
	bpf_probe_read_kernel_str(xi->reason, sizeof(xi->reason), ei->reason);
	bpf_probe_read_kernel_str(xi->msg, sizeof(xi->msg), ei->msg);
	xi->exit_code = ei->exit_code;
	/* kind last: the loader polls it */
	barrier();
	WRITE_ONCE(xi->kind, (s32)ei->kind);
}

SEC(".struct_ops.link")
struct sched_ext_ops morpheus_ops = {
	.select_cpu	= (void *)morpheus_select_cpu,
	.enqueue	= (void *)morpheus_enqueue,
	.dispatch	= (void *)morpheus_dispatch,
	.running	= (void *)morpheus_running,
	.stopping	= (void *)morpheus_stopping,
	.enable		= (void *)morpheus_enable,
	.tick		= (void *)morpheus_tick,
	.exit_task	= (void *)morpheus_exit_task,
	.cgroup_set_bandwidth = (void *)morpheus_cgroup_set_bandwidth,
	.init		= (void *)morpheus_init,
	.exit		= (void *)morpheus_exit,
	.timeout_ms	= 5000,
	.name		= "morpheus",
};
