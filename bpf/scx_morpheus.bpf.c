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
 *   - a per-CPU kernel thread (kworker, ksoftirqd...) goes to its CPU's local DSQ: it runs
 *     when the current slice there ends, or at once when it is owed CPU time (as a wakee,
 *     below), never behind the shared order where every other CPU skips it;
 *   - everything else is inserted into SHARED_DSQ ordered by vtime, and an idle CPU is kicked
 *     so the queue never waits while a CPU sleeps (work-conserving);
 *   - each CPU's ops.dispatch pulls the lowest-vtime task from SHARED_DSQ, unless the task
 *     whose slice just ended is still behind that one in vtime: then it keeps the CPU (else
 *     a queue holding a single waiter degenerates into round-robin by slice length, and a
 *     worker's long backstop slice, below, would buy it ~1.7x a fair share), for at most
 *     100 ms in one go (KEEP_MAX_NS, a safety bound);
 *   - a task's vtime advances by the time it ran, scaled by 100/weight, and whenever a task is
 *     queued its vtime is clamped into [vtime_now - 10 ms, vtime_now + ahead]: a sleeper banks
 *     at most 10 ms of credit (VTIME_LAG_NS; a kernel thread 20 ms, so a waking one is queued
 *     ahead of user sleepers), and a task charged far ahead waits a bounded
 *     time: ahead = 1 s * nr_cpus / (nr_cpus + queued), within [10 ms, 200 ms], since with n
 *     tasks sharing the CPUs vtime_now moves about nr_cpus/n as fast as the clock, so about
 *     1 s of waiting at any load (WAIT_BUDGET_NS; AHEAD_MAX_NS keeps low weights meaningful:
 *     a nice-19 task runs a full slice, then waits up to 200 ms of vtime, like the fair
 *     class's long turns of a low weight). A task dispatched straight to an idle CPU gets the
 *     tight bound, vtime_now + 10 ms: it runs out of vtime order and must not drag vtime_now.
 *     Without the upper bound a nice-19 task (weight 1: charged x100) that ran 10 ms was 1 s
 *     of vtime ahead (measured in the VM: up to 1.5 s), and when it ran out of order it
 *     dragged vtime_now along, so every later wakee queued behind the whole backlog: runnable
 *     task stalls (the watchdog's 5 s) under hackbench, RCU stalls under stress-ng;
 *
 * Workers are threads listed in the `workers` map (tid -> region, slot; written by morpheusd
 * or, in tests, by a root tool). Each has a shared control block (SCB) in an mmapable array
 * (`regions`, one inner array per client process), the same maps and ABI as the observer
 * program (bpf/include/morpheus_abi.h). On each scheduler tick while a worker runs:
 *   1. when it has run for its hint budget and other tasks wait (SHARED_DSQ or its CPU's local DSQ
 *      not empty), a hint is posted into its SCB (reason, pressure, time, overdue budget, then
 *      hint_seq += 1 atomically, the order the ABI header prescribes);
 *   2. the worker answers by storing ack_seq = hint_seq and yielding; the scheduler counts
 *      the ack (late if after the grace period) and starts a new hint budget for it;
 *   3. ENFORCED mode only: a worker still running `grace` after the hint (or after its last
 *      escalation) with the hint unacked, that registered as escapable and is outside a
 *      critical section, is escalated by the configured policy. `grace` counts twice: wall
 *      time since the hint, and the worker's own CPU time since it could see it (the time it
 *      had to answer; time spent waiting for a CPU does not count against it):
 *        THREAD_KICK      scx_bpf_kick_cpu(cpu, SCX_KICK_PREEMPT): off the CPU now;
 *        CGROUP_THROTTLE  off the CPU now and parked in THROTTLED_DSQ for throttle_ns
 *                         (100 ms): it runs then only on a CPU that has nothing else to do
 *                         (work-conserving), and gets a new grace period when it is back,
 *                         a real CPU-share drop; plus an EV_ESCALATED event on which the
 *                         daemon lowers cpu.max of the worker's cgroup for the same bounded
 *                         time and restores it (see Limits);
 *        HYBRID           kick on the first escalation of a hint, throttle on repeats.
 *      A critical section (critical_depth > 0) is honoured until it has held its CPU for
 *      max_critical_ns: past that the worker is escalated anyway and the overrun counted.
 *      Held means on the CPU: the bound is the task's own CPU time (se.sum_exec_runtime) since
 *      this program first saw the section (at a tick, so up to one tick late), and wall time
 *      from critical_entry_ns must be past it too. Wall time alone counted the time other
 *      tasks ran while the worker waited in its section (a wake-up preemption, the slice of a
 *      hog), and a critical batch that its JVM would have ended within its bound was escalated
 *      for time the kernel itself gave away (seen in the VM: a 330 ms section, 150 ms of it at
 *      most on CPU, with the JVM's max-critical at 150 ms).
 *   OBSERVER mode never escalates.
 * Hints are posted by post_hint() of morpheus_common.bpf.h, the same helper the observer uses;
 * sequences are 32-bit and wrap, so "acked" is morpheus_seq_reached(ack, posted), the
 * (s32)(a - b) >= 0 of morpheus_seq.h, and a pending hint is kept as morpheus_seq_pending(seq)
 * (never 0, also when the sequence wrapped to 0).
 *
 * Wake-ups (no waiting for a tick)
 * --------------------------------
 * A waking task that finds no idle CPU looks at what the CPUs it may use run (`cpu_states`,
 * written in running/stopping). A CPU's task is a victim when its vtime, counting its current
 * run, is ahead of the wakee's and it has run at least 250 us (WAKE_MIN_RUN_NS: bounds
 * preemptions per CPU). Kernel threads are never victims: they run briefly and hold kernel
 * locks, and a preempted nice-19 one (khugepaged inside collapse_huge_page, holding RCU and a
 * process's mmap_lock) makes everyone behind that lock wait for its next turn. The waking
 * CPU's own task is preferred (no IPI), else the victim furthest ahead.
 * A registered worker gets its hint right away (reason RUNQ_PRESSURE; the worker's tick
 * adopts it as its pending hint, so acks, lateness and escalation apply as usual) and yields
 * at its next checkpoint; any other victim is preempted by inserting the wakee at the head of
 * that CPU's local DSQ with SCX_ENQ_PREEMPT, as the fair class preempts on wake-up. The wakee
 * is committed to that CPU, so a preemption is never wasted (with a kick plus SHARED_DSQ the
 * waker's CPU often took the wakee first, and the kicked CPU rescheduled for nothing: IPIs and
 * system time on the CPU-bound task there). A sync wake-up (SCX_WAKE_SYNC: the waker is about
 * to sleep, as pipes and sockets wake) preempts nobody: the waker's CPU frees up at once.
 * The policy is counted in `counters` (struct morpheus_sched_counters, in .bss).
 *
 * Slices and hint budgets (adaptive, documented formula)
 * ------------------------------------------------------
 * Two different times, named apart (the JVM's own `slice` is a third, see
 * docs/operations.md): the task SLICE is how long the kernel lets a task run before it
 * preempts it (p->scx.slice); a worker's HINT BUDGET is how long it runs before it is asked
 * to yield (`hint_budget_ns` = morpheusd --hint-budget-ms, task_ctx.hint_budget).
 * With adaptive slicing on (the default), the slice of every task, and a worker's hint
 * budget with it, is
 *     slice = clamp(10 ms * nr_cpus / (nr_cpus + depth), 2 ms, 10 ms)
 * where depth = tasks queued in SHARED_DSQ when the slice is computed: 10 ms with nothing
 * waiting, 5 ms with one waiter per CPU, the 2 ms floor at four waiters per CPU; then
 * --hint-budget-ms is not used. Without it (morpheusd --fixed-hint-budget), other tasks get
 * 5 ms and workers the configured hint_budget_ns.
 * A worker's kernel slice (when the kernel itself would preempt it) is a backstop:
 * budget + grace (observer) or budget + grace + max_critical + 2 ticks (enforced), so even a
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
	VTIME_LAG_NS = MORPHEUS_ADAPTIVE_SLICE_MAX_NS, /* vtime kept within vtime_now +- this */
	WAKE_MIN_RUN_NS = 250 * 1000,       /* wake-up preemption: victim ran at least this */
	AHEAD_MAX_NS = 200 * NSEC_PER_MSEC, /* a queued task's vtime lead: at most this ... */
	WAIT_BUDGET_NS = 1000 * NSEC_PER_MSEC, /* ... and what the queue drains in about this */
	KEEP_MAX_NS = 100 * NSEC_PER_MSEC,  /* dispatch keeps prev at most this long in one go */
	MAX_CPUS = 64,                      /* cpu_states entries scanned on a wake-up */
};
#define PF_KTHREAD 0x00200000               /* include/linux/sched.h */
#define EARLY_CLAIMED ((u64)-1)             /* cpu_state.early_seq while a hint is being posted
					     * (never a morpheus_seq_pending() value) */

/* Settings, written by the loader before load. */
const volatile u32 sched_mode = MORPHEUS_SCHED_OBSERVER;
const volatile u32 escalation = MORPHEUS_ESC_NONE;
const volatile u64 hint_budget_ns = MORPHEUS_SLICE_DEFAULT_NS; /* --hint-budget-ms */
const volatile u64 grace_ns = MORPHEUS_GRACE_DEFAULT_NS;
const volatile u64 max_critical_ns = MORPHEUS_MAX_CRITICAL_DEFAULT_NS;
const volatile u64 throttle_ns = 100 * 1000 * 1000ULL;
const volatile bool adaptive_slice = true; /* false: --fixed-hint-budget */
const volatile u32 nr_cpus = 1;

/* Current virtual time: the largest vtime of a task that started running. */
static u64 vtime_now;
/* THROTTLED_DSQ is served before SHARED_DSQ again from this time on (latest throttle end). */
static u64 throttle_gate;
/* Policy counters (morpheus_abi.h), read from the .bss map by bpftool. */
struct morpheus_sched_counters counters;
#define cnt_inc(f) __sync_fetch_and_add(&counters.f, 1)

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
	u64 started_at;     /* when it started running (workers: start of its current hint budget) */
	u64 run_start;      /* when it started running (vtime projection) */
	u64 vtime;          /* its vtime when it started */
	u64 weight;         /* its p->scx.weight */
	u32 is_kthread;     /* a kernel thread: never preempted for a wake-up */
	u32 pad;
	u64 early_seq;      /* morpheus_seq_pending(hint_seq) posted to it by a wake-up, adopted
			     * by its tick; 0: none */
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
	u64 budget_start;   /* start of the current hint budget: run start or last ack */
	u64 hint_budget;    /* the hint budget this worker got for its current run */
	u64 posted_seq;     /* morpheus_seq_pending(hint_seq) of our latest hint, 0: none pending */
	u64 posted_at;      /* when that hint was posted */
	u64 last_esc_at;    /* last escalation for the pending hint */
	u64 grace_cpu_base; /* se.sum_exec_runtime when the current grace period began (the hint
			     * seen by this task on its CPU, or its last escalation): grace is
			     * CPU time the worker had to answer, not time spent waiting for a CPU */
	u32 esc_for_hint;   /* escalations for the pending hint (HYBRID: kick, then throttle) */
	u32 overrun_counted;/* critical overrun already counted for this hint */
	u64 throttled_until;/* CGROUP_THROTTLE: kept in THROTTLED_DSQ until then, 0: not */
	u32 kicked;         /* escalated off its CPU: never kept running by dispatch */
	u32 is_worker;      /* in `workers` when it last started running (saves a hash lookup
			     * in every other callback) */
	u32 wake_sync;      /* select_cpu saw SCX_WAKE_SYNC: the waker is about to sleep */
	u64 crit_entry;     /* the critical_entry_ns of the section last seen at a tick, 0: none */
	u64 crit_cpu_base;  /* se.sum_exec_runtime at that first sight: CPU time in the section */
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
static __always_inline u64 task_slice(const struct task_ctx *tc)
{
	u64 s = adaptive_slice ? adaptive_slice_ns() : OTHER_SLICE_NS;

	if (tc && tc->is_worker) {
		u64 ws = adaptive_slice ? s : hint_budget_ns;

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

/* A task woke up and no CPU is idle (see "Wake-ups" in the header comment). A CPU's current
 * task is a victim when its vtime, counting its current run, is ahead of the wakee's by at
 * least WAKE_MARGIN_NS: the wakee is owed CPU time. The waking CPU itself is preferred (its
 * preemption needs no IPI), else the victim furthest ahead. */
struct wake_scan {
	u64 now, vtime, best_ahead;
	const struct cpumask *allowed;
	s32 best;
};

/* How far CPU idx's current task is ahead of the wakee in vtime, 0 when not a victim. */
static __always_inline u64 victim_ahead(struct wake_scan *ws, u32 idx)
{
	struct cpu_state *cs = bpf_map_lookup_elem(&cpu_states, &idx);
	u64 proj, w;

	if (!cs || !READ_ONCE(cs->tid) || !bpf_cpumask_test_cpu(idx, ws->allowed))
		return 0;
	if (cs->is_worker && READ_ONCE(cs->early_seq))
		return 0; /* already asked to yield */
	if (cs->is_kthread)
		return 0; /* kernel threads run short and hold kernel locks (mmap_lock, RCU):
			   * preempted, a nice-19 one (khugepaged) makes others wait on them */
	w = cs->weight ? cs->weight : 100;
	proj = cs->vtime + (ws->now - READ_ONCE(cs->run_start)) * 100 / w;
	if (!vtime_before(ws->vtime, proj))
		return 0; /* the wakee is not owed CPU time by this one */
	if ((s64)(ws->now - READ_ONCE(cs->run_start)) < WAKE_MIN_RUN_NS)
		return 0; /* let it run a little (bounds preemptions per CPU, and a low-priority
			   * kernel thread exits its short critical sections before it is a victim) */
	return proj - ws->vtime;
}

/* bpf_loop callback: is CPU idx the best victim so far? */
static long wake_scan_cpu(u32 idx, void *data)
{
	struct wake_scan *ws = data;
	u64 ahead = victim_ahead(ws, idx);

	if (ahead > ws->best_ahead) {
		ws->best = (s32)idx;
		ws->best_ahead = ahead;
	}
	return 0;
}

/* Returns true when p was placed (preempting a non-worker on a victim CPU), false when the
 * caller queues it (a worker victim gets a hint instead, or nobody is a victim). */
static __always_inline bool preempt_for_wakeup(struct task_struct *p, u64 vtime, u64 slice,
					       u64 enq_flags)
{
	struct wake_scan ws = { .now = bpf_ktime_get_ns(), .vtime = vtime, .best = -1,
				.allowed = p->cpus_ptr };
	u32 self = bpf_get_smp_processor_id();
	struct cpu_state *best_cs;
	struct morpheus_worker_ref *ref;
	struct morpheus_scb *scb;
	u64 now = ws.now;
	u32 seq;
	s32 best;
	u32 tid;

	if (victim_ahead(&ws, self))
		ws.best = (s32)self; /* preempting the waking CPU's own task: no IPI */
	else
		bpf_loop(nr_cpus < MAX_CPUS ? nr_cpus : MAX_CPUS, wake_scan_cpu, &ws, 0);
	best = ws.best;
	best_cs = best >= 0 ? bpf_map_lookup_elem(&cpu_states, &best) : NULL;
	if (best < 0 || !best_cs) {
		cnt_inc(wake_not_owed);
		return false;
	}
	if (!best_cs->is_worker) {
		/* Straight to the victim CPU's local DSQ, at its head, preempting its task: the
		 * wakee is committed to that CPU, so the preemption is never wasted (a kick plus
		 * SHARED_DSQ let another CPU take the wakee first and the kicked one reschedule
		 * for nothing). */
		compat_dsq_insert(p, SCX_DSQ_LOCAL_ON | (u64)best, slice, enq_flags | SCX_ENQ_PREEMPT);
		if ((u32)best == self)
			cnt_inc(wake_preempt_local);
		else
			cnt_inc(wake_preempt_remote);
		return true;
	}
	tid = READ_ONCE(best_cs->tid);
	ref = bpf_map_lookup_elem(&workers, &tid);
	scb = ref ? scb_of(ref) : NULL;
	if (!scb || READ_ONCE(scb->kernel_hint_seq) != READ_ONCE(scb->kernel_ack_seq))
		return false; /* a hint is already pending: the tick takes it from here */
	if (__sync_val_compare_and_swap(&best_cs->early_seq, 0, EARLY_CLAIMED) != 0)
		return false; /* another wake-up got there first */
	seq = post_hint(scb, MORPHEUS_HINT_RUNQ_PRESSURE, pressure_of(), now, 0);
	best_cs->early_at = now;
	WRITE_ONCE(best_cs->early_seq, morpheus_seq_pending(seq));
	cnt_inc(wake_hints);
	emit(MORPHEUS_EV_HINT_POSTED, tid, ref, now, seq);
	return false;
}

/* The largest vtime lead a queued task may have (see the header comment): with n tasks
 * sharing nr_cpus CPUs vtime_now advances about nr_cpus/n times as fast as the clock, so a
 * lead of WAIT_BUDGET_NS * nr_cpus / n is waited out in about WAIT_BUDGET_NS; at most
 * AHEAD_MAX_NS, at least VTIME_LAG_NS. */
static __always_inline u64 ahead_max_ns(void)
{
	u64 ncpu = nr_cpus ? nr_cpus : 1;
	s32 depth = scx_bpf_dsq_nr_queued(SHARED_DSQ);
	u64 a = WAIT_BUDGET_NS * ncpu / (ncpu + (depth > 0 ? (u64)depth : 0));

	return a > AHEAD_MAX_NS ? AHEAD_MAX_NS : a < VTIME_LAG_NS ? VTIME_LAG_NS : a;
}

/* A task's vtime, clamped into [vtime_now - VTIME_LAG_NS, vtime_now + ahead]: a sleeper banks
 * at most VTIME_LAG_NS of credit, and a task charged far ahead (a low weight: nice 19 pays
 * x100) waits a bounded time (without the cap a nice-19 kernel thread that ran 10 ms waited
 * for 1 s of everybody's vtime, and when it ran out of order, on an idle CPU, it dragged
 * vtime_now along, so every later wakee queued behind the whole backlog). */
static __always_inline u64 clamp_vtime(struct task_struct *p, u64 ahead)
{
	u64 v = p->scx.dsq_vtime, now = vtime_now;
	/* kernel threads (the sched_ext watchdog's own work item, RCU, writeback) bank twice the
	 * credit: a waking one is queued ahead of user sleepers, as the fair class lets a
	 * sleeper's lag preempt (seen in the VM: with 128 hackbench tasks runnable at the floor
	 * the watchdog's kworker waited in line 5.4 s and the kernel ejected the scheduler) */
	u64 lag = (p->flags & PF_KTHREAD) ? 2 * VTIME_LAG_NS : VTIME_LAG_NS;

	if (vtime_before(v, now - lag)) {
		v = now - lag;
		cnt_inc(vtime_clamp_low);
	} else if (vtime_before(now + ahead, v)) {
		u64 lead = v - now;

		if (lead > counters.max_ahead_ns)
			counters.max_ahead_ns = lead;
		v = now + ahead;
		cnt_inc(vtime_clamp_high);
	}
	p->scx.dsq_vtime = v;
	return v;
}

s32 BPF_STRUCT_OPS(morpheus_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	struct task_ctx *tc = bpf_task_storage_get(&task_ctxs, p, 0, 0);
	bool is_idle = false;
	s32 cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);

	if (tc)
		tc->wake_sync = !!(wake_flags & SCX_WAKE_SYNC);
	if (is_idle) {
		/* it runs out of vtime order, at once: the tight bound, so it cannot drag vtime_now */
		clamp_vtime(p, VTIME_LAG_NS);
		compat_dsq_insert(p, SCX_DSQ_LOCAL, task_slice(tc), 0);
		cnt_inc(direct_idle);
	}
	return cpu;
}

void BPF_STRUCT_OPS(morpheus_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct task_ctx *tc = bpf_task_storage_get(&task_ctxs, p, 0, 0);
	bool throttled = tc && tc->throttled_until && vtime_before(bpf_ktime_get_ns(), tc->throttled_until);
	bool sync = tc && tc->wake_sync;
	u64 vtime = clamp_vtime(p, ahead_max_ns()), slice = task_slice(tc);
	s32 cpu;

	cnt_inc(enqueues);
	if (tc)
		tc->wake_sync = 0;
	/* A per-CPU kernel thread (kworker, ksoftirqd, migration helpers) can run nowhere else:
	 * queue it on its CPU's local DSQ, where it runs when the current slice ends, instead of
	 * behind the shared vtime order (where every other CPU skips it). */
	if ((p->flags & PF_KTHREAD) && p->nr_cpus_allowed == 1 && !throttled) {
		struct wake_scan ws = { .now = bpf_ktime_get_ns(), .vtime = vtime, .allowed = p->cpus_ptr };
		s32 kcpu = scx_bpf_task_cpu(p);

		/* ... at once if it is owed CPU time by the task running there (as a wake-up) */
		if ((enq_flags & SCX_ENQ_WAKEUP) && kcpu >= 0 && victim_ahead(&ws, kcpu))
			enq_flags |= SCX_ENQ_PREEMPT;
		compat_dsq_insert(p, SCX_DSQ_LOCAL, slice, enq_flags);
		cnt_inc(pcpu_kthread_local);
		return;
	}
	/* Work-conserving: an idle CPU the task may run on takes it from SHARED_DSQ. */
	cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	if (cpu < 0 && (enq_flags & SCX_ENQ_WAKEUP) && !throttled) {
		/* No idle CPU: a woken task should not wait for a tick (see "Wake-ups"), unless
		 * its waker is about to sleep (sync wake-up: the waker's CPU frees up at once). */
		if (sync)
			cnt_inc(wake_sync_skipped);
		else if (preempt_for_wakeup(p, vtime, slice, enq_flags))
			return;
	}
	compat_dsq_insert_vtime(p, throttled ? THROTTLED_DSQ : SHARED_DSQ, slice, vtime, enq_flags);
	if (cpu >= 0) {
		scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
		cnt_inc(idle_kicks);
	}
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
	u32 tid;

	if (!tc || tc->kicked || (tc->throttled_until && vtime_before(now, tc->throttled_until)))
		return false;
	if (!dsq_head_vtime(SHARED_DSQ, &head))
		return false;
	pv = prev->scx.dsq_vtime + (now - tc->running_at) * 100 / (prev->scx.weight ? prev->scx.weight : 100);
	if (!vtime_before(pv, head))
		return false;
	if (now - tc->running_at >= KEEP_MAX_NS) {
		cnt_inc(keep_prev_capped); /* a safety bound: nobody waits behind one long run */
		return false;
	}
	/* kept without ops.stopping/running: refresh the cached registration here */
	tid = prev->pid;
	tc->is_worker = bpf_map_lookup_elem(&workers, &tid) != NULL;
	cnt_inc(keep_prev);
	return true;
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
		prev->scx.slice = task_slice(bpf_task_storage_get(&task_ctxs, prev, 0, 0));
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
static __always_inline void adopt_early_hint(struct cpu_state *cs, u32 tid, struct task_ctx *tc, u64 cpu_ns)
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
		tc->grace_cpu_base = cpu_ns; /* its grace starts here, on its CPU */
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
		tc->grace_cpu_base = p->se.sum_exec_runtime;
	}
	tc->running_at = now;
	tc->budget_start = now;
	tc->hint_budget = adaptive_slice ? adaptive_slice_ns() : hint_budget_ns;
	tc->is_worker = bpf_map_lookup_elem(&workers, &tid) != NULL;
	if (cs) {
		cs->started_at = now;
		cs->run_start = now;
		cs->vtime = p->scx.dsq_vtime;
		cs->weight = p->scx.weight;
		cs->is_kthread = !!(p->flags & PF_KTHREAD);
		cs->is_worker = tc->is_worker;
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
	if (tc->is_worker) {
		stat_inc(MORPHEUS_STAT_switches);
		adopt_early_hint(cs, tid, tc, p->se.sum_exec_runtime);
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
	tc->grace_cpu_base = p->se.sum_exec_runtime;
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
	struct task_ctx *tc = bpf_task_storage_get(&task_ctxs, p, 0, 0);
	struct morpheus_worker_ref *ref;
	struct morpheus_scb *scb;
	struct cpu_state *cs;
	bool in_critical;
	u64 now, ran_ns;
	u32 ack;
	s32 cpu;

	if (!tc || !tc->is_worker)
		return; /* the common case: no hash lookup on the tick of a non-worker */
	ref = bpf_map_lookup_elem(&workers, &tid);
	if (!ref) {
		tc->is_worker = 0; /* unregistered while running */
		return;
	}
	scb = scb_of(ref);
	if (!scb) {
		stat_inc(MORPHEUS_STAT_scb_misses);
		return;
	}
	now = bpf_ktime_get_ns();
	ran_ns = p->se.sum_exec_runtime; /* the task's own CPU time: grace and max-critical count it */
	stat_inc(MORPHEUS_STAT_samples);
	/* The critical section's CPU clock (the bound of step 3): it starts at the first tick
	 * that sees a section (a new critical_entry_ns), from the task's own CPU time. */
	in_critical = READ_ONCE(scb->critical_depth) > 0;
	if (in_critical) {
		u64 entry = READ_ONCE(scb->critical_entry_ns);

		if (entry != tc->crit_entry) {
			tc->crit_entry = entry;
			tc->crit_cpu_base = ran_ns;
		}
	}
	cpu = scx_bpf_task_cpu(p);
	cs = this_cpu_state();
	adopt_early_hint(cs, tid, tc, ran_ns);
	ack = READ_ONCE(scb->kernel_ack_seq);

	/* 2. the pending hint was answered: count it and start a new hint budget. */
	if (tc->posted_seq && morpheus_seq_reached(ack, (u32)tc->posted_seq)) {
		stat_inc(MORPHEUS_STAT_hints_acked);
		if (now - tc->posted_at > grace_ns) {
			stat_inc(MORPHEUS_STAT_hints_acked_late);
			emit(MORPHEUS_EV_HINT_ACK_LATE, tid, ref, now, now - tc->posted_at);
		}
		tc->posted_seq = 0;
		tc->esc_for_hint = 0;
		tc->overrun_counted = 0;
		tc->budget_start = now;
		if (cs)
			WRITE_ONCE(cs->started_at, now);
	}

	/* 1. hint budget used up while others wait: post a hint. */
	if (!tc->posted_seq) {
		u64 ran = now - tc->budget_start;
		u32 seq;

		if (ran < tc->hint_budget || !others_waiting(cpu))
			return;
		seq = post_hint(scb, MORPHEUS_HINT_SLICE_EXPIRED, pressure_of(), now,
				(s64)tc->hint_budget - (s64)ran);
		tc->posted_seq = morpheus_seq_pending(seq);
		tc->posted_at = now;
		tc->last_esc_at = 0;
		tc->grace_cpu_base = ran_ns;
		emit(MORPHEUS_EV_HINT_POSTED, tid, ref, now, seq);
		return;
	}

	/* 3. hint pending past grace: escalate (enforced mode, escapable workers only). */
	if (sched_mode != MORPHEUS_SCHED_ENFORCED || escalation == MORPHEUS_ESC_NONE)
		return;
	if (!READ_ONCE(scb->escapable))
		return;
	/* Grace is wall time since the hint (or the last escalation) AND the worker's own CPU
	 * time since then: time it waited for a CPU, which it could not use to answer, does not
	 * count (seen in the VM: a cooperative worker that answers within 1 ms of running was
	 * escalated at its first tick back after the kernel had kept it off the CPU). */
	if (now - (tc->last_esc_at ? tc->last_esc_at : tc->posted_at) < grace_ns ||
	    ran_ns - tc->grace_cpu_base < grace_ns)
		return;
	if (in_critical) {
		u64 entry = tc->crit_entry;

		if (entry && (now - entry < max_critical_ns ||
			      ran_ns - tc->crit_cpu_base < max_critical_ns))
			return; /* honoured, still within its bound (wall time or time on the CPU) */
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
