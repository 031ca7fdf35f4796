package dev.morpheus.pekko;

import dev.morpheus.CriticalSection;
import dev.morpheus.MorpheusWorker;
import dev.morpheus.abi.HintReason;
import dev.morpheus.abi.YieldCause;
import java.lang.invoke.MethodHandles;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.invoke.VarHandle;
import org.apache.pekko.dispatch.MessageQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pool thread's Morpheus registration and the state of the mailbox run it executes, shared
 * by both thread kinds ({@link DispatcherForkJoinThread} for fork-join, {@link DispatcherPoolThread}
 * for thread-pool). Owned by its thread: only that thread reads or writes it.
 *
 * <p><b>Lifecycle.</b> The thread calls {@link #threadStarts} before its first task and
 * {@link #threadEnds} on its way out: it registers with the dispatcher's Morpheus instance and
 * unregisters, so pools may grow and shrink without leaking worker slots.
 *
 * <p><b>Batches.</b> Pekko runs an actor's mailbox as one task: system messages, then up to
 * {@code throughput} messages, each fetched with {@code MessageQueue.dequeue()}, and last a
 * {@code registerForExecution(mailbox, false, false)} call that re-submits the mailbox if
 * messages remain. A run touches this object at two points: the Morpheus queues call
 * {@link #cutsBatch} at the top of every {@code dequeue()} (the first one records which queue
 * the run is of), and the dispatcher's {@code registerForExecution} calls {@link #endsRunOf}
 * and {@link #runEnded}, which leaves it ready for the next run. In DEFENSIVE mode the first
 * dequeue also arms the run's deadline ({@link #armDeadline}), so a run that dequeues nothing
 * (its actor suspended) leaves no deadline behind.
 *
 * <p><b>Cuts.</b> {@code cutsBatch} returning {@code true} makes the queue return {@code null},
 * which ends the batch at the mailbox boundary: Pekko re-submits the mailbox, so no message is
 * lost, reordered or duplicated. The first dequeue of a run is never cut (the mailbox would be
 * re-submitted without progress). Where the re-submitted mailbox goes is the executor's
 * business: behind the waiting work on a thread-pool executor's FIFO queue, into the thread's
 * own local queue on fork-join (which the thread drains first: there a cut does not hand the
 * thread over).
 *
 * <p><b>Size matters.</b> HotSpot inlines a method already compiled on its own only while its
 * code is under {@code InlineSmallCode} (2500 bytes): a queue's {@code dequeue()} over that
 * runs as a real call from Pekko's mailbox loop, which costs a ping-pong workload several
 * percent. So the per-message path holds only the counter, the checkpoint and the deadline
 * word; the SCB marks, cuts and critical sections are out of line.
 *
 * <p><b>Cost per message</b> (the hot path, no hint pending): two class compares to find this
 * object from the thread, one counter increment, the checkpoint (one acquire load and a
 * compare) and the deadline word (zero outside DEFENSIVE mode). Per run, once more the class
 * compares and a few stores; the SCB's run marks only for runs of more than one message, and
 * only when a sampler reads them ({@link #markRun}).
 * No allocation, no thread-local lookup.
 *
 * <p>Written several times per run, so it is padded off its neighbours' cache lines (the
 * thread object's header fields are read by other threads whenever they wake this one: sharing
 * a line with them made every run pay a cache-line transfer in ping-pong workloads).
 */
public final class RunState extends RunStateShared {
    private static final Logger LOG = LoggerFactory.getLogger(RunState.class);

    /** {@link RunStateShared#cutAt}'s value for "end the batch at the next message" (a handover). */
    static final long HANDOVER = 1;
    private static final VarHandle CUT_AT;
    private static final VarHandle LONG_RUN_SINCE;
    private static final ThreadMXBean THREAD_CPU = ManagementFactory.getThreadMXBean();
    static {
        try {
            CUT_AT = MethodHandles.lookup().findVarHandle(RunStateShared.class, "cutAt", long.class);
            LONG_RUN_SINCE = MethodHandles.lookup().findVarHandle(RunStateShared.class, "longRunSince", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The shortest run a handover cuts: a younger run gets a deadline at this age instead (it
     * likely ends by itself first, and a cut costs the run its cache-warm thread). Bounds the
     * cuts handovers cause to one per 50 us per thread, and adds at most that to a woken
     * actor's wait.
     */
    static final long MIN_RUN_BEFORE_HANDOVER_NS = 50_000;

    /** A set deadline is checked at every 4th message (the clock read costs about as much as a short message). */
    private static final int DEADLINE_CHECK_EVERY_MASK = 3;

    /** Dequeues before a run is marked in the SCB: after its second message (see {@link #markRun}). */
    private static final int MARK_AFTER_MESSAGES = 2;

    // Padding after the fields (superclass fields come first in the layout).
    @SuppressWarnings("unused")
    private long q0, q1, q2, q3, q4, q5, q6, q7;

    RunState(DispatcherContext runtime) {
        super(runtime);
    }

    /** The run state of {@code t} if it is a Morpheus pool thread, else null. Two class compares. */
    static RunState of(Thread t) {
        if (t instanceof DispatcherPoolThread) {
            return ((DispatcherPoolThread) t).run;
        }
        if (t instanceof DispatcherForkJoinThread) {
            return ((DispatcherForkJoinThread) t).run;
        }
        return null;
    }

    /**
     * Called by a Morpheus queue at the top of {@code dequeue()}, before it takes a message:
     * whether the batch ends here (the queue then returns {@code null}). Never true on a thread
     * that is not a Morpheus pool thread (clean-up at actor stop, tools), nor for a critical
     * actor, whose message instead runs inside the worker's critical section.
     * @param queue the queue asking (identifies the run)
     */
    static boolean cutsBatch(Object queue, boolean critical) {
        RunState w = of(Thread.currentThread());
        return w != null && w.beforeMessage(queue, critical);
    }

    // ------------------------------------------------------------------ lifecycle

    /** Registers the calling (owning) thread as a Morpheus worker; on failure it runs without hints. */
    void threadStarts(String threadName) {
        runtime.threadsStarted.increment();
        if (runtime.morpheus.isClosed()) {
            // The actor system terminated (its extension closed the instance) and the pool still
            // runs its last tasks: without hints, as expected, so nothing to warn about.
            LOG.debug("Morpheus dispatcher {}: thread {} starts after the system terminated; it runs without hints",
                    runtime.settings.dispatcherId(), threadName);
            return;
        }
        try {
            worker = runtime.morpheus.registerCurrentThread(threadName);
        } catch (RuntimeException e) {
            LOG.warn("Morpheus dispatcher {}: thread {} runs without hints: {}", runtime.settings.dispatcherId(),
                    threadName, e.getMessage());
        }
    }

    /** Unregisters the calling (owning) thread; closes a critical section left open. */
    void threadEnds() {
        closeSection();
        if (worker != null) {
            worker.close();
            worker = null;
        }
        runtime.threadsEnded.increment();
    }

    /** The Morpheus worker of this thread, or null when registration failed or the thread ended. */
    public MorpheusWorker worker() {
        return worker;
    }

    // ------------------------------------------------------------------ batch protocol

    /**
     * The run's first dequeue in DEFENSIVE mode: the batch may run {@code defensive-slice} from
     * now. Outside DEFENSIVE mode a run's start needs nothing more than recording its queue: the
     * previous run's end left this object ready ({@link #runEnded}).
     */
    private void armDeadline() {
        if (worker != null) {
            cutAt = deadline(System.nanoTime() + runtime.defensiveNanos);
        }
    }

    /** Before each message; kept small (the cut and critical sections are out of line) so that it inlines. */
    private boolean beforeMessage(Object queue, boolean critical) {
        int n = runMessages++;
        if (n == 0) {
            runQueue = queue; // the first message of a run is never cut
            if (runtime.defensive) {
                armDeadline();
            }
            if (critical) {
                nextCriticalMessage(queue); // opens the batch's section; the first message is never cut
            }
            return false;
        }
        if (n == MARK_AFTER_MESSAGES) {
            markRun();
        }
        if (critical) {
            return nextCriticalMessage(queue);
        }
        MorpheusWorker me = worker;
        return me != null && (me.checkpoint() || cutAt != 0) && cutNow(me, queue);
    }

    /**
     * The run took its second message: from now on it is a long run, which the executor may ask
     * to hand over, and samplers see it (SCB state RUNNING, run start stamped at their next
     * look). Not at the run's start: most runs in message-passing workloads are one message long
     * (a request, a reply), a hint could not cut them anyway, and marking each would cost them
     * stores and a clock read.
     *
     * <p>A handover asked for while the run was young ({@link #handoverWhenLong}) is due now,
     * at {@link #MIN_RUN_BEFORE_HANDOVER_NS} like any handover of a young run: work that arrived
     * while every thread was in a young run had nobody asking for it otherwise, and without a
     * hint source to cut the runs it waited for max-batch (seen: the yield suite's probe starved
     * for whole runs with {@code hint-source = none}). One read of an own field per long run;
     * an earlier version looked at the executor's queues here instead, which found woken work
     * in nearly every long run of a message-heavy workload and cut them (request/response JMH
     * fell to 0.59x).
     */
    private void markRun() {
        // volatile (a fence, once per long run): ordered before the read of handoverWhenLong, so
        // a submitter that sets the flag either is seen here or sees this run long (requestHandoverWhenLong).
        // The clock read at the end of the run before, if this thread came straight from it
        // (a full batch's end reads the clock anyway): one clock read per batch, not two, in
        // message-heavy workloads, and the run's age then counts from its first message.
        long now = clockAtRunEnd;
        clockAtRunEnd = 0;
        longRunSince = now != 0 ? now : System.nanoTime();
        if (handoverWhenLong) {
            handoverWhenLong = false;
            requestHandover(); // asked while this run was young: see below
        }
        MorpheusWorker me = worker;
        if (me != null && runtime.markRuns) {
            me.markRunning();
        }
    }

    /**
     * A critical actor's next message. The whole batch is one critical section, opened at its
     * first message and closed when the run ends ({@link #runEnded}), so the section's entry time
     * (the SCB's critical_entry_ns) is the batch's start and max-critical bounds the batch, in the
     * kernel and here alike: a section per message restarted the clock at every message, and a
     * long mailbox of short messages escaped the bound (issue 13). Past max-critical, a hint that
     * waits ends the batch at this message boundary (the mailbox is re-submitted, nothing is
     * lost or reordered); without a hint nobody asked for the thread and the batch goes on to
     * max-batch. Per message: one acquire load, and a clock read only while a hint waits.
     * @return true to end the batch here
     */
    private boolean nextCriticalMessage(Object queue) {
        MorpheusWorker me = worker;
        if (me == null) {
            return false;
        }
        if (openSection == null) {
            openSection = me.critical();
            return false;
        }
        if (me.hintWaiting() && System.nanoTime() - me.criticalSinceNanos() >= runtime.maxCriticalNanos) {
            // Answer first, then close: an enforcing kernel whose tick fell between the two
            // would see a hint ignored past grace outside any section, and escalate (seen in
            // the VM, where a tick can interrupt the thread between any two instructions).
            YieldCause cause = me.acknowledgeHint();
            closeSection();
            return cause != null && cutForHint(me, queue);
        }
        return false;
    }

    /** A hint is pending or a cut is requested: answers the hint, or checks the handover and deadline; true ends the batch. */
    private boolean cutNow(MorpheusWorker me, Object queue) {
        if (me.checkpoint()) {
            return me.acknowledgeHint() != null && cutForHint(me, queue);
        }
        long at = cutAt;
        if (at == 0 || (at != HANDOVER && !handoverDeferred && (runMessages & DEADLINE_CHECK_EVERY_MASK) != 0)) {
            return false; // a DEFENSIVE deadline is checked every few messages, not every one: the clock read costs more than a short message
        }
        long now = System.nanoTime();
        if (at == HANDOVER) {
            if (handoverAnswered(at)) {
                return false;
            }
            long since = longRunSince;
            if (since != 0 && now - since < MIN_RUN_BEFORE_HANDOVER_NS
                    && CUT_AT.compareAndSet(this, HANDOVER, deadline(since + MIN_RUN_BEFORE_HANDOVER_NS))) {
                handoverDeferred = true; // a young run: it ends at its minimum length unless it ends by itself first
                return false;
            }
            return handOver(queue);
        }
        if (now - at < 0) {
            return false;
        }
        if (handoverDeferred) {
            return !handoverAnswered(at) && handOver(queue);
        }
        me.recordYield(YieldCause.DEADLINE);
        if (((MessageQueue) queue).hasMessages()) {
            runtime.cutByDeadline.increment();
        }
        cutPending = true;
        return true;
    }

    /** The batch ends on the hint just answered. */
    private boolean cutForHint(MorpheusWorker me, Object queue) {
        if (((MessageQueue) queue).hasMessages()) {
            runtime.cutByHint.increment(); // an empty queue would have ended the batch anyway
        }
        cutPending = true;
        osYieldPending = fromOutside(me.answeredReason());
        return true;
    }

    /**
     * Whether the woken work a handover (requested, or deferred to a deadline {@code at}) was for
     * is gone (another thread took it): then the request is dropped and the batch goes on.
     */
    private boolean handoverAnswered(long at) {
        MorpheusExecutor pool = executor;
        if (pool == null || pool.wokenWorkWaiting()) {
            return false;
        }
        handoverDeferred = false;
        CUT_AT.compareAndSet(this, at, 0L);
        return true;
    }

    private boolean handOver(Object queue) {
        handoverDeferred = false;
        if (((MessageQueue) queue).hasMessages()) {
            runtime.cutByHandover.increment();
        }
        cutPending = true;
        return true;
    }

    /** {@code at} as a {@code cutAt} deadline (never one of the two reserved values). */
    private static long deadline(long at) {
        return at == 0 || at == HANDOVER ? at + 2 : at;
    }

    /**
     * Whether a hint of this reason asks for the CPU as well as the thread: the kernel (the BPF
     * observer or scx_morpheus) sees another task waiting on this thread's CPU now, past this
     * thread's slice, so it would preempt the thread anyway; giving the CPU up at the message
     * boundary makes that preemption a safe one. Everything else only ends the batch: queue
     * pressure, handovers and DEFENSIVE time-slicing are about work waiting for a thread of this
     * pool (ending the batch hands it over), and procfs sees a wait after the fact, when the
     * kernel has already taken its share: a yield there would give away more than the kernel
     * takes (measured: with CPU hogs beside the JVM it cost throughput and the probe's latency).
     */
    private static boolean fromOutside(HintReason reason) {
        return reason == HintReason.SLICE_EXPIRED || reason == HintReason.RUNQ_PRESSURE || reason == HintReason.ESCALATION;
    }

    // ------------------------------------------------------------------ executor protocol

    /** Whether the current run is a long one (past its second message). Read by the executor's submitters. */
    boolean inLongRun() {
        return longRunSince != 0;
    }

    /** When the current long run started, 0 if none (any thread). */
    long longRunSince() {
        return longRunSince;
    }

    /**
     * Asks the owning thread to end its batch at the next message boundary, or when the run is
     * {@link #MIN_RUN_BEFORE_HANDOVER_NS} old if it is younger (any thread; the executor, when
     * work arrives and no thread is free). A request that meets the run's end is dropped with it:
     * the thread is about to take new work anyway. Writes only if nothing is requested yet.
     */
    void requestHandover() {
        if (cutAt == 0) { // a request or a deadline already set: the batch ends soon anyway, no second write
            CUT_AT.compareAndSet(this, 0L, HANDOVER);
        }
    }

    /**
     * Asks a run that is young now (one message so far, or between runs) to hand over once it
     * becomes a long one ({@link #markRun}, at its second message); a run that ends before
     * that drops the request ({@link #runEnded}): its thread takes new work anyway. Any thread
     * (the executor, when work arrives and no thread is free). Writes only if not asked yet.
     * The flag is written before the run's state is read again, and the owner marks its run long
     * before reading the flag (both volatile): a run that became long meanwhile is asked
     * directly, so no request is lost between the two (a lost one left a probe waiting for a
     * whole 100,000-message batch).
     */
    void requestHandoverWhenLong() {
        if (!handoverWhenLong) {
            handoverWhenLong = true;
        }
        if (longRunSince != 0) {
            requestHandover(); // it became long meanwhile and may have read the flag before it was set
        }
    }

    /** Whether the mailbox being re-submitted on this thread now is a cut one (the executor's question). */
    boolean resubmittingCut() {
        return resubmittingCut;
    }

    /**
     * The mailbox of this run is about to be re-submitted (the dispatcher, before Pekko's
     * {@code registerForExecution}): it counts as cut if its batch ended on a cut, or at
     * {@code max-batch} after running at least {@link #MIN_RUN_BEFORE_HANDOVER_NS}; a short
     * batch that reached {@code max-batch} (message-heavy actors: 50 messages take microseconds)
     * goes back to this thread's lane like newly woken work, and so does a mailbox that merely
     * ran dry and got a message meanwhile.
     */
    void resubmitting(boolean start) {
        if (!start) {
            resubmittingCut = false;
            return;
        }
        boolean cut = cutPending;
        clockAtRunEnd = 0;
        if (!cut && runMessages >= runtime.maxBatch && executor != null) { // only the Morpheus executor asks
            long since = longRunSince;
            if (since != 0) {
                long now = System.nanoTime();
                clockAtRunEnd = now; // the next run's start if this thread takes its next task at once (markRun)
                cut = now - since >= MIN_RUN_BEFORE_HANDOVER_NS;
            }
        }
        resubmittingCut = cut;
    }

    /** The thread goes idle: the clock read at its last run's end is not its next run's start. */
    void forgetRunEndClock() {
        clockAtRunEnd = 0;
    }

    /** Whether the current run has lasted at least the handover minimum (one clock read). */
    boolean ranLong() {
        long since = longRunSince;
        return since != 0 && System.nanoTime() - since >= MIN_RUN_BEFORE_HANDOVER_NS;
    }

    /**
     * The mailbox of {@code queue} called {@code registerForExecution(mailbox, false, false)} on
     * this thread. That is the last call of every mailbox run, but Pekko also makes it when an
     * actor resumes another (from inside a run), so only the call for the queue this run
     * dequeued from ends the run.
     * @return whether it ended this thread's run (the caller then calls {@link #runEnded})
     */
    boolean endsRunOf(Object queue) {
        return runQueue == queue;
    }

    /**
     * The run ended and its mailbox is back in the pool (if messages remain): closes a critical
     * section left open, records a batch that ended at its budget, marks the worker quiescing,
     * and gives up the CPU if the batch was cut on a hint from outside the JVM (or answers such
     * a hint that arrived while the batch could not be cut: critical actor, last message).
     * @param rescheduled whether the mailbox went back into the pool (messages remain)
     */
    void runEnded(boolean rescheduled) {
        int messages = runMessages;
        runMessages = 0;
        runQueue = null;
        if (cutAt != 0) {
            CUT_AT.setRelease(this, 0L);
            handoverDeferred = false;
        }
        if (messages > MARK_AFTER_MESSAGES) {
            LONG_RUN_SINCE.setRelease(this, 0L);
        }
        if (handoverWhenLong) {
            handoverWhenLong = false;
        }
        MorpheusWorker me = worker;
        boolean answered = false;
        if (openSection != null) {
            // A critical batch that ended by itself with a hint waiting answers it before its
            // section closes, for the reason in nextCriticalMessage: never a moment outside the
            // section with the hint still pending.
            answered = me != null && !cutPending && me.hintWaiting() && me.acknowledgeHint() != null;
            closeSection();
        }
        if (me == null) {
            cutPending = false;
            return;
        }
        if (runtime.markRuns) {
            me.markQuiescing();
        }
        if (cutPending) {
            cutPending = false;
            if (osYieldPending) {
                osYieldPending = false;
                yieldCpuWithinFairShare();
            }
            return;
        }
        if (rescheduled && messages >= runtime.maxBatch) {
            me.recordYield(YieldCause.BUDGET);
            runtime.endedAtBudget.increment();
        }
        if (answered || (runtime.markRuns && me.checkpoint() && me.acknowledgeHint() != null)) {
            runtime.hintsAnsweredBetweenBatches.increment();
            if (fromOutside(me.answeredReason())) {
                yieldCpuWithinFairShare();
            }
        }
    }

    /**
     * Gives up the CPU for a hint from outside the JVM, but no more often than the kernel would
     * take it anyway: once per {@code slice} of CPU time this thread consumed. The kernel
     * preempts a thread that has run its share while others wait; a yield at a message boundary
     * turns that preemption into a safe one. Yielding on every hint would give away more: with
     * CPU hogs beside the JVM the hints keep coming, and each yield hands over a fresh slice the
     * kernel would have let this thread run.
     */
    private void yieldCpuWithinFairShare() {
        long cpu = THREAD_CPU.getCurrentThreadCpuTime();
        if (cpu < 0 || cpu - cpuAtLastOsYield >= runtime.sliceNanos) {
            cpuAtLastOsYield = cpu;
            runtime.cpuYields.increment();
            Thread.yield();
        }
    }

    private void closeSection() {
        CriticalSection s = openSection;
        if (s != null) {
            openSection = null;
            s.close();
        }
    }
}

/** Padding before the fields. */
@SuppressWarnings("unused")
abstract class RunStatePad {
    private long p0, p1, p2, p3, p4, p5, p6, p7;
}

/** The fields of {@link RunState} owned by its thread: written per message, read by no other thread. */
abstract class RunStateFields extends RunStatePad {
    final DispatcherContext runtime;
    MorpheusWorker worker;
    /** Dequeues in the current run so far. */
    int runMessages;
    /** The queue of the current run, null between runs. */
    Object runQueue;
    /** The batch ended on a cut (hint, handover, deadline): the thread hands the mailbox back. */
    boolean cutPending;
    /** The cut answered a hint from outside this JVM (kernel, procfs): the thread also yields its CPU. */
    boolean osYieldPending;
    /**
     * The clock read at the end of the last run, if it read one (a full batch) and the thread
     * went straight on to its next task; 0 otherwise. The next long run's start ({@code markRun}).
     */
    long clockAtRunEnd;
    /** This thread's CPU time when it last gave up the CPU for a hint from outside the JVM. */
    long cpuAtLastOsYield;
    /** The deadline in {@code cutAt} is a deferred handover, not DEFENSIVE mode's. */
    boolean handoverDeferred;
    /** The Morpheus executor this thread works for (null on Pekko's executors): a handover asks it whether woken work still waits. */
    MorpheusExecutor executor;
    /** Set around the re-submission of a cut mailbox: the executor queues it as a cut. */
    boolean resubmittingCut;
    CriticalSection openSection;

    RunStateFields(DispatcherContext runtime) {
        this.runtime = runtime;
    }
}

/** Padding between the owner's fields and the shared ones. */
@SuppressWarnings("unused")
abstract class RunStateSharedPad extends RunStateFields {
    private long s0, s1, s2, s3, s4, s5, s6, s7;

    RunStateSharedPad(DispatcherContext runtime) {
        super(runtime);
    }
}

/**
 * The fields of {@link RunState} other threads read or write (the executor's submitters), on a
 * cache line of their own: written by the owner once per long run, read by the owner per
 * message, written by others only to request a handover.
 */
abstract class RunStateShared extends RunStateSharedPad {
    /**
     * When the current batch must end: 0 = not before its natural end; {@link RunState#HANDOVER}
     * = at the next message (the executor asks, from another thread); otherwise a
     * {@code System.nanoTime()} deadline (DEFENSIVE mode, or a deferred handover; set by the owner).
     */
    volatile long cutAt;
    /**
     * {@code System.nanoTime()} when the current run became a long run (its second message), 0
     * while no long run is on: what the executor reads to find the oldest run to hand over.
     */
    volatile long longRunSince;
    /**
     * A handover is wanted once the current (young) run becomes long: set by the executor's
     * submitters ({@link RunState#requestHandoverWhenLong}), cleared by the owner when the run
     * becomes long (turning it into a request) or ends.
     */
    volatile boolean handoverWhenLong;

    RunStateShared(DispatcherContext runtime) {
        super(runtime);
    }
}
