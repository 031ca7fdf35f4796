/* SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0 */
/*
 * morpheus_abi.h - the single source of truth for everything Morpheus shares across the
 * kernel/user and C/Java boundaries: the shared control block (SCB), the region that holds
 * them, every enumerated constant, the stats table, the ring-buffer event, the BPF map value
 * types and the daemon's socket protocol.
 *
 * Who reads this file:
 *   - the BPF programs (bpf/morpheus_observer.bpf.c, bpf/scx_morpheus.bpf.c), after vmlinux.h;
 *   - morpheusd and libmorpheus (native/), after <linux/types.h>;
 *   - the Java side mirrors it by hand in dev.morpheus.abi.ScbLayout and the enums beside it,
 *     and AbiCrossCheckTest compiles native/tools/abi_dump.c against this header and fails on
 *     any difference. Change a layout here, bump MORPHEUS_ABI_MINOR (compatible additions) or
 *     MORPHEUS_ABI_MAJOR (anything else), then fix the Java mirror until the test passes.
 *
 * The region
 * ----------
 * A region is an array of 128-byte entries: entry 0 is the region header, entries 1..N are
 * SCBs, one per registered worker thread. In kernel mode a region is one inner map of the
 * BPF_MAP_TYPE_ARRAY_OF_MAPS `regions` (an mmapable array, one per client process), so the
 * BPF program writes hints straight into the memory the JVM reads. With in-process hint
 * sources the JVM allocates the same layout in direct memory; the checkpoint is identical.
 *
 *   offset 0          128        256                      (N+1)*128
 *          +----------+----------+----------+---  ...  ---+
 *          | header   | SCB 0    | SCB 1    |             |
 *          +----------+----------+----------+---  ...  ---+
 *
 * Memory ordering: a writer fills the header with plain stores and writes `magic` LAST with a
 * release store; readers check magic and the ABI major first. Hint posting increments the
 * poster's own hint sequence with an atomic add after writing its reason/pressure/time, so a
 * reader that acquire-loads the hint word sees the fields written before it.
 *
 * Writers (ABI 2): every SCB field has ONE writer
 * -----------------------------------------------
 * The parties: KERNEL = the loaded BPF program (morpheus_observer or scx_morpheus; one at a
 * time; both post hints through post_hint() of morpheus_common.bpf.h); OWNER = the region's owner (morpheusd for a kernel region, the JVM's LocalScbPool for
 * an in-process region); LOCAL = the JVM's in-process hint posters (queue pressure, procfs,
 * manual, defensive and rebind hints: several JVM threads, one party, all through one atomic
 * add); WORKER = the thread the slot is handed out to (its runtime, on its own thread).
 * A slot is handed out by OWNER (owner_tid stored last, release) and taken back by OWNER; OWNER
 * resets the worker line only while the slot is not handed out (before hand-out, after
 * release). In between, each field below has exactly the one writer named:
 *
 *   field                line  writer  how it is written / read
 *   kernel_hint_seq      0     KERNEL  atomic add (full barrier) after the kernel fields below;
 *                                      read in the 64-bit hint word with one acquire load
 *   local_hint_seq       0     LOCAL   atomic add (full barrier); its reason/pressure/time live
 *                                      in the JVM (ScbBinding), the kernel never needs them
 *   hint_reason          0     KERNEL  plain store before kernel_hint_seq's add
 *   pressure             0     KERNEL  plain store before kernel_hint_seq's add
 *   hint_time_ns         0     KERNEL  plain store before kernel_hint_seq's add
 *   budget_remaining_ns  0     KERNEL  plain store before kernel_hint_seq's add
 *   escalation_count     0     KERNEL  atomic add; read opaque by the worker
 *   last_escalation_ns   0     KERNEL  plain store after escalation_count
 *   hint_loss_count      0     KERNEL  atomic add (the JVM counts its own coalesced hints)
 *   owner_tid            1     OWNER   release store, last of a hand-out; 0 at release
 *   worker_state         1     WORKER  release store (OWNER: REGISTERED before hand-out, DEAD
 *                                      after release); the kernel never writes it
 *   ack_word             1     WORKER  release store of the whole hint word it answered:
 *                                      kernel_ack_seq (read by KERNEL) + local_ack_seq
 *   critical_depth       1     WORKER  release store, after critical_entry_ns
 *   escapable            1     OWNER   plain store before owner_tid (what REGISTER asked for)
 *   critical_entry_ns    1     WORKER  plain store before critical_depth
 *   last_yield_cause     1     WORKER  plain store
 *   yield_count          1     WORKER  plain store (single writer: load + 1)
 *   hint_yield_count     1     WORKER  plain store (single writer: load + 1)
 *   run_seq              1     WORKER  store of +1 per run (batch) begun; the JVM's samplers
 *                                      time runs by it on their own clocks, in the JVM
 *
 * The checkpoint's one load. kernel_hint_seq and local_hint_seq are the two 32-bit halves of
 * one naturally aligned 64-bit word (hint_word): the worker acquire-loads the whole word (one
 * load, as before) and compares it with the word it last answered; any change of either half is
 * a hint. A 64-bit load of a word whose halves are written by 32-bit atomics is single-copy
 * atomic on x86-64 and arm64 (the kernel's qspinlock relies on the same mixed-size rule).
 * Sequences are 32-bit and wrap: compare them for equality or with (s32)(a - b), never with <;
 * morpheus_seq.h has the one helper (morpheus_seq_reached) that BPF and C use for it.
 */
#ifndef MORPHEUS_ABI_H
#define MORPHEUS_ABI_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define MORPHEUS_MAGIC            0x4850524dU /* "MRPH" read as little-endian bytes */
#define MORPHEUS_ABI_MAJOR        2  /* 2: one writer per SCB field (hint and ack words split) */
#define MORPHEUS_ABI_MINOR        0

#define MORPHEUS_CACHE_LINE       64
#define MORPHEUS_ENTRY_SIZE       128  /* header and SCB: two cache lines each */
#define MORPHEUS_MAX_SLOTS        255  /* SCBs per region (entries 1..255) */
#define MORPHEUS_REGION_ENTRIES   (MORPHEUS_MAX_SLOTS + 1)
#define MORPHEUS_REGION_SIZE      (MORPHEUS_REGION_ENTRIES * MORPHEUS_ENTRY_SIZE) /* 32 KiB */
#define MORPHEUS_MAX_REGIONS      64   /* client processes served at once by one daemon */
#define MORPHEUS_MAX_WORKERS      (MORPHEUS_MAX_REGIONS * MORPHEUS_MAX_SLOTS)

/* Bounds of the tunables (nanoseconds); the daemon and the Java config validate against them.
 * SLICE: the JVM's morpheus.slice and morpheusd's --hint-budget-ms share these bounds;
 * ADAPTIVE_SLICE: scx_morpheus's own task slice, which then also is a worker's hint budget. */
#define MORPHEUS_SLICE_MIN_NS     (100ULL * 1000)            /* 0.1 ms */
#define MORPHEUS_SLICE_MAX_NS     (1000ULL * 1000 * 1000)    /* 1 s */
#define MORPHEUS_SLICE_DEFAULT_NS (5ULL * 1000 * 1000)       /* 5 ms */
#define MORPHEUS_GRACE_MIN_NS     (0ULL)
#define MORPHEUS_GRACE_MAX_NS     (10ULL * 1000 * 1000 * 1000) /* 10 s */
#define MORPHEUS_GRACE_DEFAULT_NS (100ULL * 1000 * 1000)     /* 100 ms */
#define MORPHEUS_ADAPTIVE_SLICE_MIN_NS (2ULL * 1000 * 1000)  /* adaptive slicing range */
#define MORPHEUS_ADAPTIVE_SLICE_MAX_NS (10ULL * 1000 * 1000)

/* Scheduler mode: does the kernel side ever force a worker off its CPU? */
enum morpheus_sched_mode {
	MORPHEUS_SCHED_OBSERVER = 0, /* hints only, never enforces (default, always safe) */
	MORPHEUS_SCHED_ENFORCED = 1, /* escalates escapable workers that ignore hints past grace */
};

/* Worker lifecycle; transitions are enforced by the runtime:
 * INIT -> REGISTERED -> RUNNING <-> QUIESCING ... -> DEAD (from any state). */
enum morpheus_worker_state {
	MORPHEUS_WORKER_INIT       = 0,
	MORPHEUS_WORKER_REGISTERED = 1,
	MORPHEUS_WORKER_RUNNING    = 2,
	MORPHEUS_WORKER_QUIESCING  = 3,
	MORPHEUS_WORKER_DEAD       = 4,
};

/* What the kernel side does to a worker that ignores a hint past the grace period. */
enum morpheus_escalation {
	MORPHEUS_ESC_NONE            = 0,
	MORPHEUS_ESC_THREAD_KICK     = 1, /* scx_bpf_kick_cpu(cpu, SCX_KICK_PREEMPT) */
	MORPHEUS_ESC_CGROUP_THROTTLE = 2, /* the daemon lowers cpu.max of the worker's cgroup */
	MORPHEUS_ESC_HYBRID          = 3, /* kick first, throttle on repeat */
};

/* Why a hint was posted (SCB hint_reason). */
enum morpheus_hint_reason {
	MORPHEUS_HINT_NONE          = 0,
	MORPHEUS_HINT_SLICE_EXPIRED = 1, /* ran past its slice while others waited on its CPU */
	MORPHEUS_HINT_RUNQ_PRESSURE = 2, /* run queue deep enough to shorten the slice */
	MORPHEUS_HINT_QUEUE_PRESSURE= 3, /* in-process: other work waits for a worker thread */
	MORPHEUS_HINT_SCHED_WAIT    = 4, /* procfs: the kernel made runnable work wait */
	MORPHEUS_HINT_DEFENSIVE     = 5, /* runtime timer while the hint source is lost */
	MORPHEUS_HINT_MANUAL        = 6, /* posted by a test or an operator */
	MORPHEUS_HINT_REBIND        = 7, /* SCB moved (daemon reconnect): re-read the binding */
	MORPHEUS_HINT_ESCALATION    = 8, /* posted together with an escalation */
};

/* Yield-cause ledger (SCB last_yield_cause): why a worker gave up its thread. */
enum morpheus_yield_cause {
	MORPHEUS_YIELD_VOLUNTARY           = 0, /* the application asked to yield */
	MORPHEUS_YIELD_HINT                = 1, /* answered a hint at a checkpoint */
	MORPHEUS_YIELD_BUDGET              = 2, /* batch bound (max-batch) reached */
	MORPHEUS_YIELD_DEADLINE            = 3, /* batch time bound reached */
	MORPHEUS_YIELD_DEFENSIVE           = 4, /* time-sliced yield while the source is lost */
	MORPHEUS_YIELD_ESCALATION_RECOVERY = 5, /* first checkpoint after being escalated */
	MORPHEUS_YIELD_CAUSE_NR            = 6,
};

/* Runtime mode, per Morpheus instance (and per dispatcher). */
enum morpheus_runtime_mode {
	MORPHEUS_MODE_DETERMINISTIC = 0, /* no hints flowing: run batches to their bound */
	MORPHEUS_MODE_PRESSURED     = 1, /* hints flowing: yield at the next checkpoint */
	MORPHEUS_MODE_DEFENSIVE     = 2, /* hint source lost or stale: time-sliced yields */
};

/* Region header: entry 0 of every region. Written by the region's owner (morpheusd, or the
 * JVM for in-process sources) before anyone else looks; `magic` is stored last, with release. */
struct morpheus_region_header {
	/* cache line 0: identity and configuration, immutable once magic is set */
	__u32 magic;             /*  0 MORPHEUS_MAGIC, written last */
	__u16 abi_major;         /*  4 */
	__u16 abi_minor;         /*  6 */
	__u32 header_size;       /*  8 MORPHEUS_ENTRY_SIZE */
	__u32 scb_size;          /* 12 MORPHEUS_ENTRY_SIZE */
	__u32 slot_count;        /* 16 SCBs that follow the header */
	__u32 sched_mode;        /* 20 enum morpheus_sched_mode */
	__u32 escalation;        /* 24 enum morpheus_escalation */
	__u32 region_id;         /* 28 index in the `regions` map, 0 for in-process regions */
	__u64 slice_ns;          /* 32 the owner's hint budget: morpheusd --hint-budget-ms (old
	                          *    name --slice-ms); an in-process region: the JVM's slice */
	__u64 grace_ns;          /* 40 */
	__u64 max_critical_ns;   /* 48 critical sections longer than this are overruns */
	__u64 daemon_epoch;      /* 56 changes on every daemon start */
	/* cache line 1: liveness, written periodically by the owner */
	__u64 heartbeat_ns;      /* 64 CLOCK_MONOTONIC of the owner's last sign of life */
	__u64 reserved[7];       /* 72 */
} __attribute__((aligned(MORPHEUS_CACHE_LINE)));

/* Shared control block: one per worker thread. The first cache line carries hints to the
 * worker (KERNEL, and LOCAL's one sequence beside the kernel's); the second is the worker's
 * (and OWNER's, around hand-out). The writer of every field: the table at the top. */
struct morpheus_scb {
	/* cache line 0: hint sources -> worker */
	union {
		__u64 hint_word;  /*  0 the checkpoint acquire-loads both sequences at once */
		struct {
			__u32 kernel_hint_seq; /*  0 KERNEL: +1 per yield request */
			__u32 local_hint_seq;  /*  4 LOCAL (in-JVM posters): +1 per yield request */
		};
	};
	__u32 hint_reason;        /*  8 enum morpheus_hint_reason of the latest hint */
	__u32 pressure;           /* 12 0..100, how hard the machine is pressed */
	__u64 hint_time_ns;       /* 16 CLOCK_MONOTONIC when the latest hint was posted */
	__s64 budget_remaining_ns;/* 24 slice left before the next hint (negative: overdue) */
	__u64 escalation_count;   /* 32 times this worker was escalated */
	__u64 last_escalation_ns; /* 40 CLOCK_MONOTONIC of the last escalation */
	__u64 hint_loss_count;    /* 48 hints posted while an earlier one was still unacked */
	__u64 kernel_reserved;    /* 56 */
	/* cache line 1: runtime -> kernel */
	__u32 owner_tid;          /* 64 kernel thread id of the worker, 0 when free */
	__u32 worker_state;       /* 68 enum morpheus_worker_state */
	union {
		__u64 ack_word;   /* 72 the hint word the worker last answered (release store) */
		struct {
			__u32 kernel_ack_seq; /* 72 its kernel half: what the BPF program reads */
			__u32 local_ack_seq;  /* 76 its local half */
		};
	};
	__u32 critical_depth;     /* 80 >0: inside a critical section, do not preempt */
	__u32 escapable;          /* 84 1: may be force-preempted outside critical sections */
	__u64 critical_entry_ns;  /* 88 CLOCK_MONOTONIC when depth went 0 -> 1 */
	__u32 last_yield_cause;   /* 96 enum morpheus_yield_cause */
	__u32 runtime_reserved0;  /* 100 */
	__u64 yield_count;        /* 104 all yields, any cause */
	__u64 hint_yield_count;   /* 112 yields that answered a hint */
	__u64 run_seq;            /* 120 +1 per run (batch) the worker begins */
} __attribute__((aligned(MORPHEUS_CACHE_LINE)));

/* Stats table: fixed ids shared by the BPF programs (per-CPU array `stats`), morpheusd's
 * `stats` output and the Java side. X(id, name, description); ids never change meaning. */
#define MORPHEUS_STATS(X) \
	X(0,  hints_posted,      "hints posted into SCBs") \
	X(1,  hints_acked,       "hints acknowledged by workers") \
	X(2,  hints_acked_late,  "hints acknowledged after the grace period") \
	X(3,  hints_coalesced,   "hints posted while an earlier one was unacked") \
	X(4,  worker_exits,      "registered threads that exited without unregistering") \
	X(5,  escalations_kick,  "workers preempted by a CPU kick") \
	X(6,  escalations_throttle, "workers throttled through cgroup cpu.max") \
	X(7,  critical_overruns, "critical sections held past max-critical") \
	X(8,  ringbuf_drops,     "events dropped because the ring buffer was full") \
	X(9,  samples,           "periodic samples taken") \
	X(10, scb_misses,        "registered workers whose SCB could not be found") \
	X(11, switches,          "context switches of registered workers seen")

enum morpheus_stat_id {
#define MORPHEUS_STAT_ENUM(id, name, desc) MORPHEUS_STAT_##name = id,
	MORPHEUS_STATS(MORPHEUS_STAT_ENUM)
#undef MORPHEUS_STAT_ENUM
	MORPHEUS_STAT_NR = 12,
};

/* scx_morpheus's scheduling counters (a global of the BPF program, in its .bss map; read with
 * `bpftool map dump name <obj>.bss`, printed by the VM suite's load-tool test). Diagnostics of
 * the policy itself, not a stable interface: fields may be added at the end. */
struct morpheus_sched_counters {
	__u64 enqueues;            /* ops.enqueue calls */
	__u64 direct_idle;         /* select_cpu found an idle CPU: straight to its local DSQ */
	__u64 idle_kicks;          /* enqueue woke an idle CPU (SCX_KICK_IDLE) */
	__u64 wake_preempt_local;  /* wake-up preemption of the waking CPU's task (no IPI) */
	__u64 wake_preempt_remote; /* wake-up preemption of another CPU's task (one IPI) */
	__u64 wake_hints;          /* wake-up asked a running worker to yield instead */
	__u64 wake_sync_skipped;   /* sync wake-up (the waker sleeps next): nobody preempted */
	__u64 wake_not_owed;       /* no running task was ahead of the wakee by the margin */
	__u64 keep_prev;           /* dispatch kept the task whose slice ended (still owed) */
	__u64 keep_prev_capped;    /* ... refused: it had run KEEP_MAX_NS in one go */
	__u64 vtime_clamp_low;     /* a task's vtime raised to vtime_now - lag (sleeper credit) */
	__u64 vtime_clamp_high;    /* a task's vtime lowered to vtime_now + lag (low weight) */
	__u64 max_ahead_ns;        /* largest vtime - vtime_now seen before that clamp */
	__u64 pcpu_kthread_local;  /* per-CPU kernel thread queued on its CPU's local DSQ */
};

/* Ring-buffer events, BPF -> morpheusd. */
enum morpheus_event_type {
	MORPHEUS_EV_HINT_POSTED   = 1,
	MORPHEUS_EV_HINT_ACK_LATE = 2,
	MORPHEUS_EV_WORKER_EXITED = 3,
	MORPHEUS_EV_ESCALATED     = 4,
	MORPHEUS_EV_CRITICAL_OVERRUN = 5,
};

struct morpheus_event {
	__u32 type;      /*  0 enum morpheus_event_type */
	__u32 tid;       /*  4 */
	__u32 region;    /*  8 */
	__u32 slot;      /* 12 */
	__u64 time_ns;   /* 16 */
	__u64 value;     /* 24 type-specific: hint seq, delay in ns, policy */
};

/* `workers` hash map: key = tid (__u32), value = where its SCB is. Written by morpheusd on
 * registration. Per-thread timing is not kept here: the observer keeps it in its own
 * `timings` hash (tid -> struct worker_timing, private to the program; morpheusd deletes a
 * tid's entry when it releases or registers the tid), scx_morpheus in task storage
 * (`task_ctxs`). */
struct morpheus_worker_ref {
	__u32 region;    /* 0 index into `regions` */
	__u32 slot;      /* 4 SCB index inside the region, 0-based (entry slot+1) */
	__u32 tgid;      /* 8 owning process, checked on exit */
	__u32 flags;     /* 12 reserved */
};

/* ABI 1.1: `exit_info` array map (one entry) of scx_morpheus, written by its ops.exit when the
 * kernel unloads it (error, watchdog stall, unregistration); the loader reads and reports it.
 * kind is the kernel's enum scx_exit_kind (0 = still running, 64.. = unregistered,
 * 1024.. = error); reason and msg are the kernel's strings, truncated. */
#define MORPHEUS_EXIT_REASON_LEN  128
#define MORPHEUS_EXIT_MSG_LEN     384
struct morpheus_exit_info {
	__s32 kind;      /*   0 enum scx_exit_kind, 0 while the scheduler runs */
	__u32 reserved;  /*   4 */
	__s64 exit_code; /*   8 */
	char  reason[MORPHEUS_EXIT_REASON_LEN]; /* 16 */
	char  msg[MORPHEUS_EXIT_MSG_LEN];       /* 144 */
};

/* Daemon socket protocol (libmorpheus <-> morpheusd): fixed-size little messages over a
 * SOCK_SEQPACKET Unix socket; every request gets exactly one reply with the same seq. */
#define MORPHEUS_PROTO_VERSION    1
#define MORPHEUS_DEFAULT_SOCKET   "/run/morpheus/morpheusd.sock"
#define MORPHEUS_DEFAULT_PIN_DIR  "/sys/fs/bpf/morpheus"

enum morpheus_op {
	MORPHEUS_OP_HELLO      = 1, /* reply carries the region fd (SCM_RIGHTS) */
	MORPHEUS_OP_REGISTER   = 2, /* tid -> slot */
	MORPHEUS_OP_UNREGISTER = 3, /* slot */
	MORPHEUS_OP_STATS      = 4, /* reply: stats payload */
	MORPHEUS_OP_BYE        = 5,
};

/* Reply fields per op (ABI 1.1, documentation of what morpheusd 1.1 sends):
 *   HELLO      slot = the client's region index (= header region_id), arg = its slot quota;
 *              the region map fd rides along as SCM_RIGHTS
 *   REGISTER   slot = the SCB slot (entry slot+1), tid echoed
 *   STATS      stats[] = kernel counters (summed over CPUs), error[] = daemon counters below
 * Errors: status = -errno and error[] names what was wrong (value and allowed range). */

/* Bounds of morpheusd's client limits (ABI 1.1). */
#define MORPHEUS_SLOTS_PER_CLIENT_DEFAULT 64
#define MORPHEUS_CLIENTS_PER_UID_DEFAULT  16
#define MORPHEUS_MAX_CONNECTIONS          256 /* sockets open at once, HELLO or not */
#define MORPHEUS_MAX_CRITICAL_MIN_NS      (1ULL * 1000 * 1000)          /* 1 ms */
#define MORPHEUS_MAX_CRITICAL_MAX_NS      (60ULL * 1000 * 1000 * 1000)  /* 60 s */
#define MORPHEUS_MAX_CRITICAL_DEFAULT_NS  (1000ULL * 1000 * 1000)       /* 1 s */

/* Daemon-side counters (ABI 1.1). A STATS reply with status 0 carries this struct in the
 * 64 bytes of morpheus_msg.error (offset 128); the kernel counters are in morpheus_msg.stats. */
#define MORPHEUS_DAEMON_STATS(X) \
	X(0, registered_workers, "worker threads registered now") \
	X(1, clients,            "client processes holding a region now") \
	X(2, connections,        "sockets connected now (with or without a region)") \
	X(3, events,             "ring-buffer events consumed") \
	X(4, requests,           "requests answered") \
	X(5, bad_requests,       "requests refused as malformed") \
	X(6, refused,            "connections or registrations refused by a limit") \
	X(7, uptime_ms,          "milliseconds since the daemon started")

enum morpheus_daemon_stat_id {
#define MORPHEUS_DSTAT_ENUM(id, name, desc) MORPHEUS_DSTAT_##name = id,
	MORPHEUS_DAEMON_STATS(MORPHEUS_DSTAT_ENUM)
#undef MORPHEUS_DSTAT_ENUM
	MORPHEUS_DSTAT_NR = 8,
};

struct morpheus_msg {
	__u32 magic;     /*  0 MORPHEUS_MAGIC */
	__u16 version;   /*  4 MORPHEUS_PROTO_VERSION */
	__u16 op;        /*  6 enum morpheus_op */
	__u32 seq;       /*  8 echoed in the reply */
	__s32 status;    /* 12 reply: 0 or -errno */
	__u32 tid;       /* 16 REGISTER: thread to register (must belong to the caller) */
	__u32 slot;      /* 20 REGISTER reply / UNREGISTER request */
	__u32 arg;       /* 24 REGISTER: 1 = escapable */
	__u32 reserved;  /* 28 */
	__u64 stats[MORPHEUS_STAT_NR]; /* 32 STATS reply */
	char  error[64]; /* 128 reply: human-readable reason when status < 0 */
};

#ifndef __VMLINUX_H__
#ifndef __cplusplus
_Static_assert(sizeof(struct morpheus_region_header) == MORPHEUS_ENTRY_SIZE, "header size");
_Static_assert(sizeof(struct morpheus_scb) == MORPHEUS_ENTRY_SIZE, "SCB size");
_Static_assert(__builtin_offsetof(struct morpheus_scb, owner_tid) == MORPHEUS_CACHE_LINE,
	       "runtime-written fields must start on the second cache line");
_Static_assert(__builtin_offsetof(struct morpheus_scb, hint_word) == 0, "hint word first");
_Static_assert(__builtin_offsetof(struct morpheus_scb, local_hint_seq) == 4, "local half beside the kernel's");
_Static_assert(__builtin_offsetof(struct morpheus_scb, ack_word) == 72 &&
	       __builtin_offsetof(struct morpheus_scb, local_ack_seq) == 76, "ack word mirrors the hint word");
_Static_assert(__builtin_offsetof(struct morpheus_region_header, heartbeat_ns) == MORPHEUS_CACHE_LINE,
	       "liveness on its own cache line");
_Static_assert(sizeof(struct morpheus_event) == 32, "event size");
_Static_assert(sizeof(struct morpheus_worker_ref) == 16, "worker ref size");
_Static_assert(sizeof(struct morpheus_exit_info) == 528, "exit info size");
_Static_assert(sizeof(struct morpheus_msg) == 192, "message size");
_Static_assert(MORPHEUS_DSTAT_NR * 8 == sizeof(((struct morpheus_msg *)0)->error),
	       "daemon stats fill the error field of a STATS reply");
#endif
#endif

#endif /* MORPHEUS_ABI_H */
