package dev.morpheus.pekko;

import dev.morpheus.MorpheusWorker;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicReference;
import scala.Function0;
import scala.concurrent.BlockContext;
import scala.concurrent.CanAwait;

/**
 * A fork-join worker of a Morpheus dispatcher ({@code executor = fork-join-executor}).
 * {@link #onStart()} registers the thread as a Morpheus worker and
 * {@link #onTermination(Throwable)} unregisters it, so the pool may grow and shrink (fork-join
 * keep-alive, compensation threads for blocking) without leaking slots. The per-message and
 * per-batch logic is its {@link RunState}'s, shared with the thread-pool's
 * {@link DispatcherPoolThread}.
 *
 * <p>It also is a {@link BlockContext}, like Pekko's own fork-join threads, so
 * {@code scala.concurrent.blocking} still lets the pool compensate.
 */
public final class DispatcherForkJoinThread extends ForkJoinWorkerThread implements DispatcherThread, BlockContext {
    /** The thread's Morpheus state, in its own padded object (written several times per run). */
    final RunState run;

    DispatcherForkJoinThread(ForkJoinPool pool, DispatcherContext runtime) {
        super(pool);
        this.run = new RunState(runtime);
    }

    @Override
    protected void onStart() {
        super.onStart();
        run.threadStarts(getName());
    }

    @Override
    protected void onTermination(Throwable exception) {
        try {
            run.threadEnds();
        } finally {
            super.onTermination(exception);
        }
    }

    @Override
    public RunState runState() {
        return run;
    }

    /** The Morpheus worker of this thread, or null when registration failed. */
    public MorpheusWorker worker() {
        return run.worker();
    }

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
