package dev.morpheus.samples.bench;

import dev.morpheus.Morpheus;
import dev.morpheus.MorpheusWorker;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the actors of one run share with the driver: the phase flags (measuring, stopping),
 * per-actor unit counters, per-thread statistics, the queued-work gauge that the Morpheus
 * queue hint source reads, and where actors hand over their samples when they stop.
 */
final class RunContext {
    final Options options;
    final Mode mode;
    final long rounds;
    final Morpheus morpheus;          // non-null in the direct morpheus mode
    final int maxBatch;
    /** Units per actor in fixed-work runs (scaling); 0 = run until stopped. */
    long quota;
    final AtomicLongArray actorUnits;
    final AtomicLong queued = new AtomicLong();
    final CountDownLatch finished;
    final Queue<LongList> assignLatencies = new ConcurrentLinkedQueue<>();
    final List<ThreadStats> threads = new CopyOnWriteArrayList<>();
    private final ThreadLocal<ThreadStats> current = ThreadLocal.withInitial(this::newThreadStats);

    volatile boolean measuring;
    volatile boolean stopping;

    RunContext(Options options, Mode mode, long rounds, Morpheus morpheus, int actors) {
        this.options = options;
        this.mode = mode;
        this.rounds = rounds;
        this.morpheus = morpheus;
        this.maxBatch = options.maxBatch;
        this.actorUnits = new AtomicLongArray(actors);
        this.finished = new CountDownLatch(actors);
    }

    boolean direct() {
        return morpheus != null;
    }

    ThreadStats thread() {
        return current.get();
    }

    private ThreadStats newThreadStats() {
        ThreadStats t = new ThreadStats(Thread.currentThread().getName());
        threads.add(t);
        return t;
    }

    /** Per pool thread: units run while measuring, actor switches seen, its Morpheus worker. */
    static final class ThreadStats {
        final String name;
        volatile long units;
        volatile long switches;
        Object lastActor;
        long runUnits;
        MorpheusWorker worker;

        ThreadStats(String name) {
            this.name = name;
        }
    }
}
