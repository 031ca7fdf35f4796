package dev.morpheus.pekko;

import dev.morpheus.CriticalSection;
import dev.morpheus.MorpheusWorker;
import dev.morpheus.abi.YieldCause;
import org.apache.pekko.dispatch.Envelope;
import org.apache.pekko.dispatch.MessageQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pool thread's Morpheus registration and the state of the mailbox run it executes, shared
 * by both thread kinds ({@link MorpheusWorkerThread} for fork-join, {@link MorpheusPoolThread}
 * for thread-pool). Owned by its thread: only that thread reads or writes it.
 *
 * <p><b>Lifecycle.</b> The thread calls {@link #threadStarts} before its first task and
 * {@link #threadEnds} on its way out: it registers with the dispatcher's Morpheus instance and
 * unregisters, so pools may grow and shrink without leaking worker slots.
 *
 * <p><b>Batches.</b> Pekko runs an actor's mailbox as one task: system messages, then up to
 * {@code throughput} messages, each fetched with {@code MessageQueue.dequeue()}. The dispatcher
 * tells the thread a run begins ({@link #runBegins()}, from its {@code throughput()} accessor
 * that the mailbox reads once per run), the wrapped queue calls {@link #dequeue} before every
 * message, and the mailbox's final {@code registerForExecution} call ends the run
 * ({@link #runEnds}). Returning {@code null} from {@code dequeue} ends the batch at the mailbox
 * boundary: Pekko re-submits the mailbox, so no message is lost, reordered or duplicated. The
 * first dequeue of a run is never cut (the mailbox would be re-submitted without progress).
 * Where the re-submitted mailbox goes is the executor's business: behind the waiting work on a
 * thread-pool executor's FIFO queue, into the thread's own local queue on fork-join (which the
 * thread drains first: there a cut does not hand the thread over).
 *
 * <p><b>Cost per message</b> (the hot path): two class compares to find this object from the
 * thread, one boolean, the checkpoint (one acquire load and a compare), the deadline word (zero
 * outside DEFENSIVE mode), one counter increment. No allocation, no thread-local lookup.
 *
 * <p>Written several times per run, so it is padded off its neighbours' cache lines (the
 * thread object's header fields are read by other threads whenever they wake this one: sharing
 * a line with them made every run pay a cache-line transfer in ping-pong workloads).
 */
public final class WorkerRun extends WorkerRunFields {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerRun.class);

    // Padding after the fields (superclass fields come first in the layout).
    @SuppressWarnings("unused")
    private long q0, q1, q2, q3, q4, q5, q6, q7;

    WorkerRun(DispatcherRuntime runtime) {
        super(runtime);
    }

    /** The run state of {@code t} if it is a Morpheus pool thread, else null. Two class compares. */
    static WorkerRun of(Thread t) {
        if (t instanceof MorpheusPoolThread) {
            return ((MorpheusPoolThread) t).run;
        }
        if (t instanceof MorpheusWorkerThread) {
            return ((MorpheusWorkerThread) t).run;
        }
        return null;
    }

    // ------------------------------------------------------------------ lifecycle

    /** Registers the calling (owning) thread as a Morpheus worker; on failure it runs without hints. */
    void threadStarts(String threadName) {
        runtime.threadsStarted.increment();
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

    /** A mailbox run begins on this thread (its next dequeue is the run's first). */
    void runBegins() {
        firstOfRun = true;
    }

    /**
     * A checked (non-critical) actor asks for its next message. Kept small (the cut itself is in
     * {@link #cutNow}) so that it inlines into Pekko's mailbox loop.
     */
    Envelope dequeue(Object wrapper, MessageQueue inner) {
        if (firstOfRun) {
            beginRun(wrapper);
            return inner.dequeue();
        }
        runMessages++;
        MorpheusWorker me = worker;
        if (me != null && (me.checkpoint() || runDeadline != 0) && cutNow(me, inner)) {
            return null;
        }
        return inner.dequeue();
    }

    /** A hint is pending or a deadline is set: answers the hint, or checks the deadline; true ends the batch. */
    private boolean cutNow(MorpheusWorker me, MessageQueue inner) {
        if (me.checkpoint()) {
            YieldCause cause = me.acknowledgeHint();
            if (cause == null) {
                return false;
            }
            if (inner.hasMessages()) {
                runtime.cutByHint.increment(); // an empty queue would have ended the batch anyway
            }
            yieldPending = true;
            return true;
        }
        if (runDeadline != 0 && System.nanoTime() - runDeadline >= 0) {
            me.recordYield(YieldCause.DEADLINE);
            if (inner.hasMessages()) {
                runtime.cutByDeadline.increment();
            }
            yieldPending = true;
            return true;
        }
        return false;
    }

    /**
     * A critical actor asks for its next message: the previous message's critical section
     * closes, the next message's opens. Never cut: a hint waits for the end of the batch.
     */
    Envelope dequeueCritical(Object wrapper, MessageQueue inner) {
        closeSection();
        if (firstOfRun) {
            beginRun(wrapper);
        } else {
            runMessages++;
        }
        Envelope next = inner.dequeue();
        if (next != null && worker != null) {
            openSection = worker.critical();
        }
        return next;
    }

    private void beginRun(Object wrapper) {
        firstOfRun = false;
        runQueue = wrapper;
        runMessages = 1;
        closeSection();
        MorpheusWorker me = worker;
        if (me != null) {
            if (runtime.markRuns) {
                me.markRunning();
            }
            runDeadline = runtime.defensive ? System.nanoTime() + runtime.defensiveNanos : 0;
        }
    }

    /** Whether the run now ending on this thread is the one of {@code queue}. */
    boolean isRunOf(MessageQueue queue) {
        return runQueue == queue && runQueue != null;
    }

    /** Whether the current run processed a full batch (max-batch messages). */
    boolean fullBatch() {
        return runMessages >= runtime.maxBatch;
    }

    /**
     * The run of this thread's current mailbox ended and the mailbox is back in the pool:
     * closes a critical section left open, records a batch that ended at its budget, marks the
     * worker quiescing, and gives up the thread if the batch was cut, or answers a hint that
     * arrived while the batch could not be cut (critical actor, last message).
     * @param atBudget the batch processed max-batch messages and messages remain
     */
    void runEnds(boolean atBudget) {
        runQueue = null;
        closeSection();
        MorpheusWorker me = worker;
        if (me == null) {
            return;
        }
        if (yieldPending) {
            yieldPending = false;
            if (runtime.markRuns) {
                me.markQuiescing();
            }
            Thread.yield();
            return;
        }
        if (atBudget) {
            me.recordYield(YieldCause.BUDGET);
            runtime.endedAtBudget.increment();
        }
        if (runtime.markRuns) {
            me.markQuiescing();
            if (me.checkpoint() && me.acknowledgeHint() != null) {
                runtime.hintsAnsweredBetweenBatches.increment();
                Thread.yield();
            }
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
abstract class WorkerRunPad {
    private long p0, p1, p2, p3, p4, p5, p6, p7;
}

/** The fields of {@link WorkerRun}; all owned by its thread. */
abstract class WorkerRunFields extends WorkerRunPad {
    final DispatcherRuntime runtime;
    MorpheusWorker worker;
    boolean firstOfRun;
    Object runQueue;
    int runMessages;
    long runDeadline;
    boolean yieldPending;
    CriticalSection openSection;

    WorkerRunFields(DispatcherRuntime runtime) {
        this.runtime = runtime;
    }
}
