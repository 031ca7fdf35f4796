package dev.morpheus.pekko;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * The default executor of a Morpheus dispatcher ({@code executor = morpheus-executor}): a
 * work-stealing pool that knows which of its tasks are mailboxes whose batch was cut, and hands
 * the thread over at the next message boundary when new work arrives while every thread is busy.
 *
 * <p><b>Queues, in the order a thread takes from them.</b>
 * <ol>
 *   <li>The oldest cut mailbox, if cut mailboxes starve: it has waited {@code cut-max-wait}
 *       while this thread ran only newly woken work (aging: woken work that keeps arriving
 *       cannot hold cut mailboxes back for longer than that, plus at most seven takes: asked
 *       at every 8th take, {@link #STARVING_CHECK_MASK}).</li>
 *   <li>The thread's own lane: tasks it made runnable itself (a message sent from inside a
 *       mailbox run wakes the receiver onto the sender's lane, where its cache is warm). Every
 *       sixteenth take looks at the shared queue first, so a busy lane cannot starve it. A
 *       {@link LaneQueue}: one producer, so an offer is two stores and no allocation.</li>
 *   <li>The shared queue: tasks submitted from outside the pool (timers, futures completed by
 *       other threads, the benchmark's timer thread).</li>
 *   <li>Other threads' lanes (stealing), when its own and the shared queue are empty, and only
 *       work that would otherwise wait (below).</li>
 *   <li>Cut mailboxes, oldest first: mailboxes whose batch ended with messages left (a hint, a
 *       handover, DEFENSIVE mode's deadline, or {@code max-batch} after at least 50 us; a short
 *       batch at {@code max-batch} goes back to the thread's lane instead). A cut therefore
 *       hands the thread to any other waiting work; with nothing else waiting the same mailbox
 *       runs again.</li>
 * </ol>
 * Newly runnable mailboxes run before cut ones: an actor woken by a message waits for at most
 * one message boundary of a running batch, not for a round of every batch that was cut.
 *
 * <p><b>Lazy stealing: steal only what would wait.</b> A thread takes a task from another lane
 * only if the lane has held two or more tasks at every look for {@value #STEAL_BACKLOG_AFTER_NS}
 * ns, or holds one that has waited {@value #STEAL_LONE_AFTER_NS}
 * ns (the owner took nothing meanwhile, or its current run is that old already), or has no
 * running owner. A lone task behind a short run is left to the owner, which takes it within
 * microseconds: actors that talk to each other then stay on one thread, where their messages
 * are in its cache. Stealing eagerly split a ping-pong pair over both threads for good, and
 * every message then crossed cores: one pair ran 2.3x faster on one thread than on two.
 * Likewise a pool thread in a short run that makes a task runnable, with at most one task
 * waiting on its lane already, wakes no idle thread for it while another thread watches the
 * lanes (searching, or parked with a timeout after leaving a task to its owner): the watcher
 * steals it if it waits too long. So a task a short run leaves waits at most about one watch
 * timeout plus {@value #STEAL_LONE_AFTER_NS} ns when its owner's run turns out long. A watcher's timeout starts at
 * {@value #STEAL_LONE_AFTER_NS} ns and doubles up to {@value #WATCH_MAX_NS} ns while it finds
 * nothing worth stealing, so an idle thread beside a busy one wakes about a thousand times a
 * second at most.
 *
 * <p><b>Wake-up preemption.</b> When a task arrives and no thread is idle (and none may be
 * started), the executor asks every thread in a long run (a mailbox batch past its second
 * message) to hand over: one store into each thread's {@link RunState}
 * ({@link RunState#requestHandover}), which its next {@code dequeue()} sees; the first thread
 * there ends its batch at the message boundary and takes the task, the others see nothing left
 * waiting and go on. A thread in a young run is asked to hand over if the run becomes a long
 * one ({@link RunState#requestHandoverWhenLong}): else work that arrives while every run is
 * young would have nobody asking for it once they last. No sampler is on this path. Work from
 * outside the pool asks every time; a pool thread's submission asks only if its run is 50 us
 * old or more (younger, it takes its own lane's task itself soon) and no woken work waits in
 * its lane already (that work's arrival asked): message-heavy workloads, whose runs last
 * microseconds, pay nothing for this path. A thread that takes work from outside the pool while
 * more of it waits and no thread is idle asks again, so a burst of it is served run by run.
 * A handover does not give up the CPU: the thread goes straight back to the queues above.
 *
 * <p><b>Threads.</b> Up to {@code parallelism} threads, started on demand when work arrives and
 * no thread is idle, each registered as a Morpheus worker by its {@link DispatcherPoolThread} for
 * as long as it lives; a thread idle for {@code keep-alive-time} ends (and unregisters). Idle
 * threads spin briefly, then park; a submission unparks one.
 *
 * <p><b>CPU quota.</b> Under a cgroup CPU quota below the parallelism ({@link CgroupCpuQuota};
 * {@code limit-to-cpu-quota}), at most ceil(quota) threads run at once: a thread past the limit
 * takes no task and parks like an idle one, submitters wake none beyond it, and woken work gets
 * a running thread by handover instead. More busy threads than the quota would spend each
 * period's CPU time early and then be throttled together, stalling every actor until the next
 * period. Read at start and, when a thread goes idle, about once a second; without a quota the
 * check is one read of a rarely written field per task.
 *
 * <p>Tasks are plain {@link Runnable}s; the executor learns that a task is a cut mailbox from
 * the submitting thread's {@link RunState} ({@link RunState#resubmittingCut()}), which the
 * dispatcher sets around the mailbox's re-submission at the end of its run.
 */
final class MorpheusExecutor extends AbstractExecutorService {
    private static final int RUNNING = 0;
    private static final int SHUTDOWN = 1;
    private static final int STOP = 2;
    /** Every this many takes, a thread looks at the shared queue before its own lane. */
    private static final int SHARED_FIRST_EVERY = 16;
    /**
     * Whether the cut mailboxes starve is asked at every 8th take, not at every one: the
     * question reads the clock, which cost message-heavy workloads about 1% of their CPU when
     * asked per take; the bound grows by at most seven takes.
     */
    private static final int STARVING_CHECK_MASK = 7;
    /** A lone task on another lane is stolen once it has waited this long (the handover minimum: a run this young ends soon by itself). */
    static final long STEAL_LONE_AFTER_NS = RunState.MIN_RUN_BEFORE_HANDOVER_NS;
    /**
     * Two or more tasks on another lane are stolen once the thief has seen two or more there
     * for this long (long enough to skip the moment a thread re-submits its mailbox just
     * before it takes the task behind it).
     */
    static final long STEAL_BACKLOG_AFTER_NS = 1_000;
    /**
     * How long an idle thread scans the queues before it parks (and after each wake-up): longer
     * than {@link #STEAL_BACKLOG_AFTER_NS}, so a backlog on another lane is seen twice and
     * taken in one search, not after a park.
     */
    static final long SEARCH_NS = 4 * STEAL_BACKLOG_AFTER_NS;
    /** The longest timeout of a thread that watches the lanes while parked. */
    static final long WATCH_MAX_NS = 1_000_000;

    private final String name;
    private final ThreadFactory factory;
    private final long keepAliveNanos;
    private final long cutMaxWaitNanos;
    private final Lane[] lanes;
    private final Queue<Runnable> shared = new ConcurrentLinkedQueue<>();
    private final Queue<Cut> cuts = new ConcurrentLinkedQueue<>();
    /** Threads spinning over the queues before they park. */
    private final AtomicInteger searching = new AtomicInteger();
    /** Threads parked (or about to park) with their {@code parked} flag up. */
    private final AtomicInteger idle = new AtomicInteger();
    /** Idle threads parked with a timeout because a lane holds tasks (they steal what waits too long). */
    private final AtomicInteger watching = new AtomicInteger();
    /** Lanes with a live thread (started and not yet ended). */
    private final AtomicInteger live = new AtomicInteger();
    private final Object termination = new Object();
    private volatile int state = RUNNING;
    /** CPUs the quota allows ({@link CgroupCpuQuota#cpus}), or null: no limit ({@code limit-to-cpu-quota = off}). */
    private final IntSupplier quotaCpus;
    /** Threads that may run at once: the parallelism, or fewer under a CPU quota (see {@link CgroupCpuQuota}). */
    private volatile int activeLimit;
    /** When the quota was last read (System.nanoTime); racy by design: a second read is harmless. */
    private volatile long quotaReadAt;
    private static final long QUOTA_REREAD_NS = 1_000_000_000L;

    /** A mailbox re-submitted after its batch was cut, with the time it was queued. */
    private record Cut(Runnable task, long queuedAt) {}

    /**
     * @param parallelism     the most threads at once, 1 or more
     * @param keepAliveNanos  how long a thread may stay idle before it ends
     * @param cutMaxWaitNanos how long a cut mailbox may wait behind newly woken work
     */
    MorpheusExecutor(String name, int parallelism, long keepAliveNanos, long cutMaxWaitNanos, ThreadFactory factory) {
        this(name, parallelism, keepAliveNanos, cutMaxWaitNanos, CgroupCpuQuota::cpus, factory);
    }

    /**
     * @param quotaCpus how many CPUs the process's CPU quota allows (read at start and about once
     *                  a second after): at most that many threads run at once; null for no limit
     */
    MorpheusExecutor(String name, int parallelism, long keepAliveNanos, long cutMaxWaitNanos, IntSupplier quotaCpus,
                     ThreadFactory factory) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism " + parallelism + " must be at least 1");
        }
        this.name = name;
        this.factory = factory;
        this.keepAliveNanos = keepAliveNanos;
        this.cutMaxWaitNanos = cutMaxWaitNanos;
        this.lanes = new Lane[parallelism];
        for (int i = 0; i < parallelism; i++) {
            lanes[i] = new Lane(i);
        }
        this.quotaCpus = quotaCpus;
        this.activeLimit = parallelism;
        refreshQuota(System.nanoTime());
    }

    /** Threads that may run at once now (the parallelism unless a CPU quota is lower). */
    int activeLimit() {
        return activeLimit;
    }

    /** Re-reads the cgroup CPU quota if it was read more than a second ago. Off the task path: at start and when a thread goes idle. */
    private void refreshQuota(long now) {
        if (quotaCpus == null || (now - quotaReadAt < QUOTA_REREAD_NS && quotaReadAt != 0)) {
            return;
        }
        quotaReadAt = now;
        activeLimit = Math.max(1, Math.min(lanes.length, quotaCpus.getAsInt()));
    }

    /**
     * Whether a thread may take a task now: always without a quota below the parallelism (one
     * read of a rarely written field), else while fewer than {@code activeLimit} other threads
     * run. {@code selfRunning}: the caller counts as running (it is between tasks), not as
     * searching or idle. Racy by design: two threads may both start at the limit; the next task
     * boundary of either parks one again.
     */
    private boolean mayRun(boolean selfRunning) {
        int limit = activeLimit;
        if (limit >= lanes.length) {
            return true;
        }
        int running = live.get() - idle.get() - searching.get() - (selfRunning ? 1 : 0);
        return running < limit;
    }

    int parallelism() {
        return lanes.length;
    }

    /** Threads alive now. */
    int liveThreads() {
        return live.get();
    }

    // ------------------------------------------------------------------ submission

    @Override
    public void execute(Runnable task) {
        if (task == null) {
            throw new NullPointerException("task");
        }
        if (state != RUNNING) {
            throw new RejectedExecutionException("Morpheus executor " + name + " is shut down");
        }
        Lane mine = laneOf(Thread.currentThread());
        RunState run = mine == null ? null : mine.run;
        boolean cut = run != null && run.resubmittingCut();
        // A handover may be due for new work from outside the pool (every time: earlier work may
        // have found every run young), or from a pool thread's run that has lasted (a thread in a
        // short run takes its own lane's task within microseconds) for the first task waiting in
        // its lane (earlier ones asked already); never for a cut mailbox.
        boolean first = false;
        if (cut) {
            cuts.offer(new Cut(task, System.nanoTime()));
        } else if (mine != null) {
            int waiting = mine.tasks.offer(task);
            first = waiting == 0;
            if (waiting <= 1 && watched() && !run.ranLong()) {
                return; // a short run: this thread takes the task itself soon, and a watcher steals it if not (lazy stealing)
            }
        } else {
            shared.offer(task);
        }
        if (signalIdle() || startThread()) {
            return;
        }
        if (run == null || (first && run.ranLong())) {
            preemptRuns();
        }
    }

    /**
     * A message from outside the pool arrived for a mailbox that is queued or running already
     * (the dispatcher, for every such message): if work from outside waits and no thread is
     * free, asks the runs to hand over again. Work from outside is submitted once, so its one
     * request could go astray (taken by a thread that then took other work; a young run that
     * ended); later messages for it ask again, so it waits no longer than the busy actors'
     * batches while messages keep coming. A pool thread's messages ask nothing here.
     */
    void messageForQueuedWork() {
        if (laneOf(Thread.currentThread()) == null && !shared.isEmpty() && idle.get() == 0 && searching.get() == 0) {
            preemptRuns();
        }
    }

    /** Whether an idle thread looks at the lanes without being woken: searching, or parked with a timeout. */
    private boolean watched() {
        return searching.get() > 0 || watching.get() > 0;
    }

    /** The lane of {@code t} if it is one of this pool's threads, else null. */
    private Lane laneOf(Thread t) {
        if (t instanceof DispatcherPoolThread p && p.target instanceof Lane l && l.pool() == this) {
            return l;
        }
        return null;
    }

    /**
     * Makes sure an idle thread will see newly queued work: true if a thread is searching (it
     * will find the work: no wake-up needed) or one parked thread was unparked; false if no
     * thread is idle.
     */
    private boolean signalIdle() {
        if (searching.get() > 0) {
            return true;
        }
        if (idle.get() == 0 || !mayRun(false)) {
            return false; // none idle, or as many run as the CPU quota allows: one of them takes the work
        }
        for (Lane l : lanes) {
            if (l.unpark()) {
                return true;
            }
        }
        return false;
    }

    /** Starts a thread on a free lane if there is one; false if every lane has a thread. */
    private boolean startThread() {
        if (live.get() >= lanes.length || state != RUNNING || !mayRun(false)) {
            return false;
        }
        for (Lane l : lanes) {
            if (l.claim()) {
                live.incrementAndGet();
                try {
                    Thread t = factory.newThread(l);
                    if (t == null) {
                        throw new IllegalStateException("thread factory returned null");
                    }
                    l.thread = t;
                    t.start();
                } catch (RuntimeException | Error e) {
                    l.thread = null;
                    l.release();
                    threadEnded();
                    throw e;
                }
                return true;
            }
        }
        return false;
    }

    /**
     * Every thread is busy: every thread in a long run is asked to hand over at its next message
     * boundary, every thread in a young run once its run becomes long. The first to get there
     * takes the new work; the others find it gone and go on (the cut happens only while newly
     * woken work still waits, {@link #wokenWorkWaiting}). Asking
     * one thread only (the oldest run) left the work waiting whenever the kernel had descheduled
     * that thread.
     */
    private void preemptRuns() {
        for (Lane l : lanes) {
            RunState r = l.run;
            if (r != null) {
                if (r.inLongRun()) {
                    r.requestHandover();
                } else {
                    r.requestHandoverWhenLong(); // a young run likely ends soon: asked only if it turns long
                }
            }
        }
    }

    /** Whether newly woken work waits for a thread (any thread, cheap: the queues' heads). */
    boolean wokenWorkWaiting() {
        if (!shared.isEmpty()) {
            return true;
        }
        for (Lane l : lanes) {
            if (!l.tasks.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Newly woken tasks queued and not yet taken (the pending-work gauge: cut mailboxes take turns by themselves). */
    long wokenTasks() {
        long n = shared.size();
        for (Lane l : lanes) {
            n += l.tasks.size();
        }
        return n;
    }

    // ------------------------------------------------------------------ taking

    /** The next task for {@code lane}'s thread, in the order of the class comment, or null. */
    private Runnable take(Lane lane) {
        int takes = ++lane.takeCount;
        Cut c;
        if ((takes & STARVING_CHECK_MASK) == 0 && lane.wokenSince != 0 && (c = cuts.peek()) != null && starving(lane, c)
                && (c = cuts.poll()) != null) {
            return servedCut(lane, c);
        }
        Runnable t;
        if (takes % SHARED_FIRST_EVERY == 0 && (t = shared.poll()) != null) {
            return servedWoken(lane, t);
        }
        if ((t = lane.tasks.poll()) != null) {
            return servedWoken(lane, t);
        }
        if ((t = shared.poll()) != null) {
            if (!shared.isEmpty() && idle.get() == 0) {
                preemptRuns(); // more work from outside waits and no thread is free: the next run to become long hands over
            }
            return servedWoken(lane, t);
        }
        int n = lanes.length;
        for (int i = 1; i < n; i++) {
            Lane victim = lanes[(lane.index + i) % n];
            if (worthStealing(lane, victim) && (t = victim.tasks.poll()) != null) {
                return servedWoken(lane, t);
            }
        }
        c = cuts.poll();
        return c == null ? null : servedCut(lane, c);
    }

    /**
     * Whether {@code thief} should take from {@code victim}'s lane now (lazy stealing, see the
     * class comment): the lane's tasks would otherwise wait. The thief remembers, per victim,
     * how many takes the lane had when it last looked and since when; a lane whose owner took
     * nothing since is judged by how long that has been.
     */
    private boolean worthStealing(Lane thief, Lane victim) {
        int waiting = victim.tasks.size();
        if (waiting <= 0) {
            return false;
        }
        if (victim.thread == null || victim.parked.get()) {
            return true; // no running owner: the tasks are anyone's
        }
        RunState r = victim.run;
        if (r != null && r.ranLong()) {
            return true; // the owner is in a run that has lasted: its lane's tasks wait at least that long
        }
        thief.declined = true; // left to the owner for now: this thread keeps watching (see idleWait)
        long now = System.nanoTime();
        int v = victim.index;
        if (waiting >= 2) {
            long since = thief.backlogSince[v];
            if (since == 0) {
                thief.backlogSince[v] = now;
                return false;
            }
            return now - since >= STEAL_BACKLOG_AFTER_NS;
        }
        thief.backlogSince[v] = 0;
        long takes = victim.tasks.taken();
        if (thief.seenTakes[v] != takes || thief.seenAt[v] == 0) {
            thief.seenTakes[v] = takes;
            thief.seenAt[v] = now;
            return false;
        }
        return now - thief.seenAt[v] >= STEAL_LONE_AFTER_NS;
    }

    /** Whether any lane holds a task (a watcher's question before it parks). */
    private boolean lanesHoldTasks() {
        for (Lane l : lanes) {
            if (!l.tasks.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the cut mailboxes starve behind newly woken work on this thread: it has run only
     * woken work for {@code cut-max-wait}, and the oldest cut mailbox has waited that long. Cut
     * mailboxes that wait for each other (long-running actors taking turns) or for a short
     * woken run do not starve: newly woken work still goes first.
     */
    private boolean starving(Lane lane, Cut oldest) {
        long now = System.nanoTime();
        return now - lane.wokenSince >= cutMaxWaitNanos && now - oldest.queuedAt() >= cutMaxWaitNanos;
    }

    private static Runnable servedWoken(Lane lane, Runnable t) {
        if (lane.wokenSince == 0) {
            lane.wokenSince = System.nanoTime(); // a streak of woken work starts (one clock read per streak)
        }
        return t;
    }

    private static Runnable servedCut(Lane lane, Cut c) {
        lane.wokenSince = 0;
        return c.task();
    }

    /** A thread's loop: take and run tasks; spin, then park when there are none; end after keep-alive or at shutdown. */
    private void work(Lane lane) {
        Thread me = Thread.currentThread();
        lane.run = me instanceof DispatcherPoolThread p ? p.run : null;
        if (lane.run != null) {
            lane.run.executor = this;
        }
        try {
            while (state != STOP) {
                Runnable task = mayRun(true) ? take(lane) : null;
                if (task == null) {
                    if (lane.run != null) {
                        lane.run.forgetRunEndClock();
                    }
                    lane.tasks.clearTaken(); // idle: no reference kept to a task that ran
                    task = idleWait(lane);
                    if (task == null) {
                        return; // keep-alive expired, or shutdown with empty queues
                    }
                }
                runTask(me, task);
            }
        } finally {
            lane.tasks.clearTaken();
            lane.run = null;
            lane.thread = null;
            lane.release();
            threadEnded();
            // Work queued while this thread was leaving must not wait for the next submission.
            if (state == RUNNING && hasQueuedTasks()) {
                signalIdle();
                startThread();
            }
        }
    }

    private static void runTask(Thread me, Runnable task) {
        try {
            task.run();
        } catch (Throwable e) {
            Thread.UncaughtExceptionHandler h = me.getUncaughtExceptionHandler();
            if (h != null) {
                h.uncaughtException(me, e);
            }
        }
    }

    /**
     * Waits for work: searches (spins over the queues), then parks, and searches again each time
     * it wakes; returns a task, or null when the thread should end.
     */
    private Runnable idleWait(Lane lane) {
        long idleSince = 0;
        while (true) {
            Runnable t = search(lane);
            if (t != null) {
                lane.watchNanos = STEAL_LONE_AFTER_NS;
                return t;
            }
            if (idleSince == 0) {
                lane.wokenSince = 0; // idle: no streak of woken work holds cut mailboxes back
                idleSince = System.nanoTime();
                refreshQuota(idleSince);
            }
            if (state != RUNNING && (state == STOP || !hasQueuedTasks())) {
                return null;
            }
            idle.incrementAndGet();
            lane.parked.set(true);
            // Re-check after raising the flag: a submitter that saw no idle thread queued its task first.
            t = mayRun(false) ? take(lane) : null;
            if (t != null) {
                lane.unparkSelf(); // false if a submitter claimed this thread meanwhile: its unpark permit costs one empty park
                lane.watchNanos = STEAL_LONE_AFTER_NS;
                return t;
            }
            if (state != RUNNING) {
                lane.unparkSelf();
                continue;
            }
            // Tasks left on a lane for their owner (lazy stealing): watch them, with a timeout that
            // grows while they keep being taken in time; else sleep until woken or keep-alive.
            boolean watch = lane.declined || lane.watchNanos < WATCH_MAX_NS || lanesHoldTasks();
            if (watch) {
                watching.incrementAndGet();
                LockSupport.parkNanos(this, lane.watchNanos);
                watching.decrementAndGet();
                lane.watchNanos = Math.min(WATCH_MAX_NS, lane.watchNanos * 2);
            } else {
                LockSupport.parkNanos(this, keepAliveNanos);
            }
            if (lane.unparkSelf() && !watch && System.nanoTime() - idleSince >= keepAliveNanos && !hasQueuedTasks()) {
                return null; // woken by the timeout, not by a submitter, with nothing to do
            }
        }
    }

    /**
     * Spins over the queues for a while (a searching thread spares submitters the unpark);
     * returns a task or null. When the last searcher finds a task and other work is still
     * queued, it wakes another thread for it.
     */
    private Runnable search(Lane lane) {
        lane.declined = false;
        searching.incrementAndGet();
        long until = System.nanoTime() + SEARCH_NS;
        do {
            Thread.onSpinWait();
            Runnable t = mayRun(false) ? take(lane) : null;
            if (t != null) {
                if (searching.decrementAndGet() == 0 && hasQueuedTasks()) {
                    signalIdle();
                }
                return t;
            }
        } while (System.nanoTime() - until < 0);
        searching.decrementAndGet();
        return null;
    }

    private boolean hasQueuedTasks() {
        return !cuts.isEmpty() || wokenWorkWaiting();
    }

    private void threadEnded() {
        if (live.decrementAndGet() == 0 && state != RUNNING) {
            synchronized (termination) {
                termination.notifyAll();
            }
        }
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void shutdown() {
        if (state == RUNNING) {
            state = SHUTDOWN;
        }
        wakeAll();
    }

    @Override
    public List<Runnable> shutdownNow() {
        state = STOP;
        List<Runnable> left = new ArrayList<>();
        Runnable t;
        while ((t = shared.poll()) != null) {
            left.add(t);
        }
        for (Lane l : lanes) {
            while ((t = l.tasks.poll()) != null) {
                left.add(t);
            }
            Thread th = l.thread;
            if (th != null) {
                th.interrupt();
            }
        }
        Cut c;
        while ((c = cuts.poll()) != null) {
            left.add(c.task());
        }
        wakeAll();
        return left;
    }

    private void wakeAll() {
        for (Lane l : lanes) {
            l.unpark();
            Thread th = l.thread;
            if (th != null) {
                LockSupport.unpark(th);
            }
        }
        synchronized (termination) {
            termination.notifyAll();
        }
    }

    @Override
    public boolean isShutdown() {
        return state != RUNNING;
    }

    @Override
    public boolean isTerminated() {
        return state != RUNNING && live.get() == 0;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (termination) {
            while (!isTerminated()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(termination, left);
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "MorpheusExecutor[" + name + ", " + live.get() + "/" + lanes.length + " threads, " + idle.get() + " idle]";
    }

    /**
     * One thread slot of the pool: its own task queue (others steal from it), its thread while
     * one lives, the thread's {@link RunState} (for handovers) and its parked flag.
     */
    final class Lane implements Runnable {
        final int index;
        /** Offered to by this lane's thread only; taken from by it and by thieves. */
        final LaneQueue tasks = new LaneQueue();
        /** Set by the lane's thread when it starts, cleared when it ends; read by submitters. */
        volatile RunState run;
        volatile Thread thread;
        /** Up while the thread is idle and may be unparked; cleared by whoever wins {@link #unpark}. */
        final AtomicBoolean parked = new AtomicBoolean();
        /** Claimed by the submitter that starts this lane's thread. */
        private final AtomicInteger occupied = new AtomicInteger();
        /** Takes so far, from any queue (owner only): paces the look at the shared queue. */
        int takeCount;
        /** Per other lane: its queue's {@link LaneQueue#taken()} when this thread last looked, and since when (this thread only). */
        final long[] seenTakes;
        final long[] seenAt;
        /** Per other lane: since when this thread has seen two or more tasks waiting there at every look, 0 if not (this thread only). */
        final long[] backlogSince;
        /** Whether this thread's last search left a task on another lane to its owner (this thread only). */
        boolean declined;
        /** This thread's next timeout while it watches the lanes parked (this thread only). */
        long watchNanos = STEAL_LONE_AFTER_NS;
        /** When this thread's current streak of newly woken tasks began, 0 after a cut one or idleness (owner only). */
        long wokenSince;

        Lane(int index) {
            this.index = index;
            this.seenTakes = new long[lanes.length];
            this.seenAt = new long[lanes.length];
            this.backlogSince = new long[lanes.length];
        }

        MorpheusExecutor pool() {
            return MorpheusExecutor.this;
        }

        boolean claim() {
            return occupied.get() == 0 && occupied.compareAndSet(0, 1);
        }

        void release() {
            occupied.set(0);
        }

        /**
         * The lane's own thread lowers its parked flag (it found work, or its park timed out);
         * false if a submitter lowered it first. No unpark: a permit left behind would make the
         * thread's next park return at once.
         */
        boolean unparkSelf() {
            if (!parked.get() || !parked.compareAndSet(true, false)) {
                return false;
            }
            idle.decrementAndGet();
            return true;
        }

        /** Clears the parked flag and unparks the thread; false if it was not parked (or another won). */
        boolean unpark() {
            if (!unparkSelf()) {
                return false;
            }
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
            return true;
        }

        @Override
        public void run() {
            work(this);
        }
    }
}
