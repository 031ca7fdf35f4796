package dev.morpheus;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one background thread of a Morpheus instance: it runs the {@link HousekeepingTick} (what
 * a tick does is decided there) and, every 100 ms, lets it unregister workers whose threads
 * died registered. Ticks come every sample interval while anything may need a hint soon, less
 * often while workers run short runs, and not at all while nothing runs ({@link TickCadence}):
 * then the thread dozes, and the first run to start wakes it ({@link #runStarted()}).
 * Its own CPU time is measured and reported in the metrics, so its cost is visible.
 *
 * <p>The thread knows the tick and nothing else of the instance; workers reach it only through
 * the {@link #runStarted()} callback they are given.
 */
final class Housekeeper implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeper.class);
    private static final long REAP_EVERY_NANOS = 100_000_000L;

    private final String instanceName;
    private final HousekeepingTick tick;
    private final long intervalNanos;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long cpuNanos;
    /** Up while this thread dozes (nothing ran at its last tick): the first run to start wakes it. */
    private volatile boolean dozing;

    Housekeeper(String instanceName, HousekeepingTick tick, long intervalNanos) {
        this.instanceName = instanceName;
        this.tick = tick;
        this.intervalNanos = intervalNanos;
        this.thread = new Thread(this, "morpheus-housekeeper-" + instanceName);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    long cpuNanos() {
        return cpuNanos;
    }

    @Override
    public void run() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        boolean cpuTime = mx.isCurrentThreadCpuTimeSupported();
        long lastReap = System.nanoTime();
        while (running) {
            long now = System.nanoTime();
            long sleep = intervalNanos;
            try {
                sleep = tick.run(now);
                if (now - lastReap >= REAP_EVERY_NANOS) {
                    lastReap = now;
                    tick.reapDeadThreads();
                    if (cpuTime) {
                        cpuNanos = mx.getCurrentThreadCpuTime();
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("Morpheus {}: housekeeping failed, continuing", instanceName, e);
            }
            boolean doze = tick.idle() && startDoze();
            long left = now + (doze ? Math.max(TickCadence.DOZE_NANOS, sleep) : sleep) - System.nanoTime();
            if (left > 0) {
                LockSupport.parkNanos(this, left);
            } // else: fell behind (machine overloaded), tick again at once without catching up
            if (doze) {
                dozing = false;
            }
        }
    }

    /**
     * Before sleeping while nothing runs: raises the flag that makes the first run to start wake
     * this thread ({@link #runStarted}), then looks at the workers again, so a run that starts
     * around this moment either sees the flag or is seen here.
     * @return whether to doze (false: a worker runs after all, sleep the normal interval)
     */
    private boolean startDoze() {
        dozing = true;
        if (tick.anyWorkerRunning()) {
            dozing = false;
            return false;
        }
        return true;
    }

    /**
     * A worker started a run (on its thread): ends a doze early. One volatile load when this
     * thread does not doze.
     */
    void runStarted() {
        if (dozing) {
            LockSupport.unpark(thread);
        }
    }

    void stop() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
