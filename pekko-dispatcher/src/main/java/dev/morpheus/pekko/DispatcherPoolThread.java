package dev.morpheus.pekko;

/**
 * A pool thread of a Morpheus dispatcher's {@code morpheus-executor} or {@code thread-pool-executor}. {@link #run()} wraps the pool's worker
 * loop: the thread registers as a Morpheus worker before it takes its first task and
 * unregisters when the loop ends (the pool shrinks after {@code keep-alive-time}, with
 * {@code allow-core-timeout}, or shuts down), so the pool may grow and shrink without leaking
 * worker slots. Everything per message and per batch is its {@link RunState}'s.
 */
public final class DispatcherPoolThread extends Thread implements DispatcherThread {
    final RunState run;
    /** The pool's loop this thread runs (a {@link MorpheusExecutor} lane tells its pool by it). */
    final Runnable target;

    DispatcherPoolThread(Runnable poolWorker, String name, DispatcherContext runtime) {
        super(poolWorker, name);
        this.run = new RunState(runtime);
        this.target = poolWorker;
    }

    @Override
    public void run() {
        run.threadStarts(getName());
        try {
            super.run();
        } finally {
            run.threadEnds();
        }
    }

    @Override
    public RunState runState() {
        return run;
    }
}
