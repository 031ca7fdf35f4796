package dev.morpheus;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one background thread of a Morpheus instance. Every sample interval it lets the hint
 * source sample ({@code tick}), updates the runtime mode, and in DEFENSIVE mode posts
 * time-sliced hints itself; every 100 ms it unregisters workers whose threads died registered.
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
        long next = System.nanoTime();
        while (running) {
            long now = System.nanoTime();
            try {
                morpheus.housekeep(now);
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
            next += intervalNanos;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                LockSupport.parkNanos(this, sleep);
            } else {
                next = System.nanoTime(); // fell behind (machine overloaded): do not try to catch up
            }
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
