package dev.morpheus.pekko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.morpheus.Morpheus;
import dev.morpheus.MorpheusConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Morpheus executor as an {@code ExecutorService}, without Pekko: every task runs exactly
 * once whoever submits it (outside threads, pool threads, both at once, with threads ending
 * after keep-alive meanwhile), a failing task does not take its thread down, and shutdown,
 * shutdownNow and awaitTermination keep their contracts.
 */
class MorpheusExecutorTest {
    private Morpheus morpheus;
    private ThreadFactory threads;

    @BeforeEach
    void start() {
        morpheus = Morpheus.open("executor-test", MorpheusConfig.builder().hintSource("none").build());
        DispatcherContext runtime = new DispatcherContext(
                MorpheusDispatcherSettings.of("executor-test", 1000, "critical", false, morpheus.config()), morpheus);
        threads = r -> new DispatcherPoolThread(r, "executor-test", runtime);
    }

    @AfterEach
    void stop() {
        morpheus.close();
    }

    private MorpheusExecutor executor(int parallelism, long keepAliveMs) {
        return new MorpheusExecutor("test", parallelism, TimeUnit.MILLISECONDS.toNanos(keepAliveMs),
                TimeUnit.MILLISECONDS.toNanos(5), threads);
    }

    @Test
    void everyTaskRunsExactlyOnceFromOutsideAndFromInside() throws Exception {
        MorpheusExecutor ex = executor(3, 2); // 2 ms keep-alive: threads end and restart throughout
        int outside = 4;
        int perSubmitter = 20_000;
        int total = outside * perSubmitter * 2; // each outside task submits one more from inside the pool
        AtomicIntegerArray runs = new AtomicIntegerArray(total);
        CountDownLatch done = new CountDownLatch(total);
        List<Thread> submitters = new ArrayList<>();
        for (int s = 0; s < outside; s++) {
            int base = s * perSubmitter * 2;
            Thread t = new Thread(() -> {
                for (int i = 0; i < perSubmitter; i++) {
                    int id = base + 2 * i;
                    ex.execute(() -> {
                        runs.incrementAndGet(id);
                        done.countDown();
                        ex.execute(() -> {
                            runs.incrementAndGet(id + 1);
                            done.countDown();
                        });
                    });
                    if (i % 1000 == 0) {
                        try {
                            Thread.sleep(3); // let threads go idle and end now and then
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            });
            submitters.add(t);
            t.start();
        }
        for (Thread t : submitters) {
            t.join();
        }
        assertTrue(done.await(60, TimeUnit.SECONDS), "tasks left: " + done.getCount() + " " + ex);
        for (int i = 0; i < total; i++) {
            assertEquals(1, runs.get(i), "task " + i + " ran " + runs.get(i) + " times");
        }
        assertTrue(ex.liveThreads() <= 3, ex.toString());
        ex.shutdown();
        assertTrue(ex.awaitTermination(10, TimeUnit.SECONDS), ex.toString());
        assertTrue(ex.isTerminated());
    }

    @Test
    void aFailingTaskDoesNotStopItsThread() throws Exception {
        AtomicInteger failures = new AtomicInteger();
        threads = r -> {
            Thread t = new Thread(r);
            t.setUncaughtExceptionHandler((th, e) -> failures.incrementAndGet());
            return t;
        };
        MorpheusExecutor withHandler = executor(1, 60_000);
        CountDownLatch after = new CountDownLatch(1);
        withHandler.execute(() -> {
            throw new IllegalStateException("boom");
        });
        withHandler.execute(after::countDown);
        assertTrue(after.await(10, TimeUnit.SECONDS));
        assertEquals(1, failures.get());
        assertEquals(1, withHandler.liveThreads(), "the same thread goes on");
        withHandler.shutdownNow();
    }

    @Test
    void shutdownRunsWhatIsQueuedAndRejectsNewWork() throws Exception {
        MorpheusExecutor ex = executor(1, 60_000);
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        ex.execute(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < 10; i++) {
            ex.execute(ran::incrementAndGet);
        }
        ex.shutdown();
        assertThrows(RejectedExecutionException.class, () -> ex.execute(ran::incrementAndGet));
        assertFalse(ex.awaitTermination(50, TimeUnit.MILLISECONDS), "still running the gated task");
        gate.countDown();
        assertTrue(ex.awaitTermination(10, TimeUnit.SECONDS), ex.toString());
        assertEquals(10, ran.get(), "queued tasks ran before termination");
        assertEquals(0, ex.liveThreads());
    }

    @Test
    void shutdownNowReturnsWhatDidNotRun() throws Exception {
        MorpheusExecutor ex = executor(1, 60_000);
        CountDownLatch started = new CountDownLatch(1);
        ex.execute(() -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // shutdownNow interrupts
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        List<Runnable> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Runnable r = () -> {};
            queued.add(r);
            ex.execute(r);
        }
        List<Runnable> left = ex.shutdownNow();
        assertEquals(queued.size(), left.size());
        assertTrue(left.containsAll(queued));
        assertTrue(ex.awaitTermination(10, TimeUnit.SECONDS), ex.toString());
    }
}
