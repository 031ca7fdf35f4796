package dev.morpheus.pekko;

import dev.morpheus.CriticalSection;
import dev.morpheus.MorpheusWorker;
import dev.morpheus.abi.YieldCause;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.dispatch.Envelope;
import org.apache.pekko.dispatch.Mailbox;
import org.apache.pekko.dispatch.MessageQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Function0;
import scala.concurrent.BlockContext;
import scala.concurrent.CanAwait;

/**
 * A fork-join worker of a Morpheus dispatcher, and the per-thread state of the batch it runs.
 *
 * <p><b>Lifecycle.</b> {@link #onStart()} registers the thread as a Morpheus worker and
 * {@link #onTermination(Throwable)} unregisters it, so the pool may grow and shrink (fork-join
 * keep-alive, compensation threads for blocking) without leaking slots.
 *
 * <p><b>Batches.</b> Pekko runs an actor's mailbox as one task: system messages, then up to
 * {@code throughput} messages, each fetched with {@code MessageQueue.dequeue()}. The dispatcher
 * tells this thread a run begins ({@link #runBegins()}, from its {@code throughput()} accessor
 * that the mailbox reads once per run), the wrapped queue calls {@link #dequeue} before every
 * message, and the mailbox's final {@code registerForExecution} call ends the run
 * ({@link #runEnds}). Returning {@code null} from {@code dequeue} ends the batch at the mailbox
 * boundary: Pekko re-submits the mailbox, so no message is lost, reordered or duplicated. The
 * first dequeue of a run is never cut (the mailbox would be re-submitted without progress).
 *
 * <p><b>Cost per message</b> (the hot path): the thread type check in the queue, one boolean,
 * the checkpoint (one acquire load and a compare), the deadline word (zero outside DEFENSIVE
 * mode), one counter increment. No allocation, no thread-local lookup.
 *
 * <p>It also is a {@link BlockContext}, like Pekko's own fork-join threads, so
 * {@code scala.concurrent.blocking} still lets the pool compensate.
 */
public final class MorpheusWorkerThread extends ForkJoinWorkerThread implements BlockContext {
    private static final Logger LOG = LoggerFactory.getLogger(MorpheusWorkerThread.class);

    private final DispatcherRuntime runtime;
    private MorpheusWorker worker;

    // The current run; all fields owned by this thread.
    private boolean firstOfRun;
    private Object runQueue;
    private int runMessages;
    private long runDeadline;
    private boolean yieldPending;
    private CriticalSection openSection;

    MorpheusWorkerThread(ForkJoinPool pool, DispatcherRuntime runtime) {
        super(pool);
        this.runtime = runtime;
    }

    @Override
    protected void onStart() {
        super.onStart();
        runtime.threadsStarted.increment();
        try {
            worker = runtime.morpheus.registerCurrentThread(getName());
        } catch (RuntimeException e) {
            LOG.warn("Morpheus dispatcher {}: thread {} runs without hints: {}", runtime.settings.dispatcherId(),
                    getName(), e.getMessage());
        }
    }

    @Override
    protected void onTermination(Throwable exception) {
        try {
            closeSection();
            if (worker != null) {
                worker.close();
                worker = null;
            }
            runtime.threadsEnded.increment();
        } finally {
            super.onTermination(exception);
        }
    }

    /** The Morpheus worker of this thread, or null when registration failed. */
    public MorpheusWorker worker() {
        return worker;
    }

    // ------------------------------------------------------------------ batch protocol

    /** A mailbox run begins on this thread (its next dequeue is the run's first). */
    void runBegins() {
        firstOfRun = true;
    }

    /** A checked (non-critical) actor asks for its next message. */
    Envelope dequeue(Object wrapper, MessageQueue inner) {
        if (firstOfRun) {
            beginRun(wrapper);
            return inner.dequeue();
        }
        runMessages++;
        MorpheusWorker me = worker;
        if (me != null) {
            if (me.checkpoint()) {
                YieldCause cause = me.acknowledgeHint();
                if (cause != null) {
                    if (inner.hasMessages()) {
                        runtime.cutByHint.increment(); // an empty queue would have ended the batch anyway
                    }
                    yieldPending = true;
                    return null;
                }
            } else if (runDeadline != 0 && System.nanoTime() - runDeadline >= 0) {
                me.recordYield(YieldCause.DEADLINE);
                if (inner.hasMessages()) {
                    runtime.cutByDeadline.increment();
                }
                yieldPending = true;
                return null;
            }
        }
        return inner.dequeue();
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
            me.markRunning();
            runDeadline = runtime.defensive ? System.nanoTime() + runtime.defensiveNanos : 0;
        }
    }

    /** Whether the run now ending on this thread is the one of {@code queue}. */
    boolean isRunOf(MessageQueue queue) {
        return runQueue == queue && runQueue != null;
    }

    /**
     * The run of this thread's current mailbox ended (called before the mailbox is re-submitted):
     * closes a critical section left open, records a batch that ended at its budget, and marks
     * the worker quiescing.
     * @param mailbox the mailbox whose run ends (asked whether messages remain only after a full batch)
     */
    void runEnds(Mailbox mailbox) {
        runQueue = null;
        closeSection();
        MorpheusWorker me = worker;
        if (me == null) {
            return;
        }
        if (runMessages >= runtime.maxBatch && !yieldPending && mailbox.hasMessages()) {
            me.recordYield(YieldCause.BUDGET);
            runtime.endedAtBudget.increment();
        }
        me.markQuiescing();
    }

    /**
     * After the mailbox was re-submitted: gives up the thread if the batch was cut, or answers a
     * hint that arrived while the batch could not be cut (critical actor, last message).
     */
    void afterRun() {
        if (yieldPending) {
            yieldPending = false;
            Thread.yield();
            return;
        }
        MorpheusWorker me = worker;
        if (me != null && me.checkpoint() && me.acknowledgeHint() != null) {
            runtime.hintsAnsweredBetweenBatches.increment();
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

    // ------------------------------------------------------------------ BlockContext

    @Override
    public <T> T blockOn(Function0<T> thunk, CanAwait permission) {
        AtomicReference<T> result = new AtomicReference<>();
        boolean[] done = {false};
        try {
            ForkJoinPool.managedBlock(new ForkJoinPool.ManagedBlocker() {
                @Override
                public boolean block() {
                    result.set(thunk.apply());
                    done[0] = true;
                    return true;
                }

                @Override
                public boolean isReleasable() {
                    return done[0];
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while blocking", e);
        }
        return result.get();
    }
}
