package dev.morpheus;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one background thread of a Morpheus instance. Every tick it lets the hint source sample
 * ({@code tick}), updates the runtime mode, and in DEFENSIVE mode posts time-sliced hints
 * itself; every 100 ms it unregisters workers whose threads died registered. Ticks come every
 * sample interval while anything may need a hint soon, less often while workers run short runs,
 * and not at all while nothing runs ({@link TickCadence}).
 * Its own CPU time is measured and reported in the metrics, so its cost is visible.
 */
final class Housekeeper implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeper.class);
    private static final long REAP_EVERY_NANOS = 100_000_000L;

    private final Morpheus morpheus;
    private final long intervalNanos;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long cpuNanos;

    Housekeeper(Morpheus morpheus, long intervalNanos) {
        this.morpheus = morpheus;
        this.intervalNanos = intervalNanos;
        this.thread = new Thread(this, "morpheus-housekeeper-" + morpheus.name());
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
                sleep = morpheus.housekeep(now);
                if (now - lastReap >= REAP_EVERY_NANOS) {
                    lastReap = now;
                    morpheus.reapDeadThreads();
                    if (cpuTime) {
                        cpuNanos = mx.getCurrentThreadCpuTime();
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("Morpheus {}: housekeeping failed, continuing", morpheus.name(), e);
            }
            boolean dozing = morpheus.idle() && startDoze();
            long left = now + (dozing ? Math.max(TickCadence.DOZE_NANOS, sleep) : sleep) - System.nanoTime();
            if (left > 0) {
                LockSupport.parkNanos(this, left);
            } // else: fell behind (machine overloaded), tick again at once without catching up
            if (dozing) {
                morpheus.housekeeperDozing(false);
            }
        }
    }

    /**
     * Before sleeping while nothing runs: raises the flag that makes the first run to start wake
     * this thread ({@link #wake}), then looks at the workers again, so a run that starts around
     * this moment either sees the flag or is seen here.
     * @return whether to doze (false: a worker runs after all, sleep the normal interval)
     */
    private boolean startDoze() {
        morpheus.housekeeperDozing(true);
        if (morpheus.anyWorkerRunning()) {
            morpheus.housekeeperDozing(false);
            return false;
        }
        return true;
    }

    /** Ends a doze early (a run started). */
    void wake() {
        LockSupport.unpark(thread);
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
