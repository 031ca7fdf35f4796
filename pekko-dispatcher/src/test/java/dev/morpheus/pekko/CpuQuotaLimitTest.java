package dev.morpheus.pekko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.morpheus.Await;
import dev.morpheus.Morpheus;
import dev.morpheus.MorpheusConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Morpheus executor under a CPU quota: at most ceil(quota) of its threads run at once, every
 * task still runs exactly once, and a changed quota is picked up (re-read about once a second);
 * and {@link CgroupCpuQuota} reads cgroup v1 and v2 trees (built here in a temporary directory)
 * the way the kernel lays them out, the tightest limit on the path winning.
 */
class CpuQuotaLimitTest {
    private Morpheus morpheus;
    private ThreadFactory threads;

    @BeforeEach
    void start() {
        morpheus = Morpheus.open("quota-test", MorpheusConfig.builder().hintSource("none").build());
        DispatcherContext runtime = new DispatcherContext(
                MorpheusDispatcherSettings.of("quota-test", 1000, "critical", false, morpheus.config()), morpheus);
        threads = r -> new DispatcherPoolThread(r, "quota-test", runtime);
    }

    @AfterEach
    void stop() {
        morpheus.close();
    }

    /** Submits {@code n} tasks that each sleep 1 ms; returns the most that ran at once. */
    private static int maxConcurrency(MorpheusExecutor ex, int n) throws InterruptedException {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        AtomicIntegerArray runs = new AtomicIntegerArray(n);
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            int id = i;
            ex.execute(() -> {
                int now = running.incrementAndGet();
                max.accumulateAndGet(now, Math::max);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet();
                runs.incrementAndGet(id);
                done.countDown();
            });
        }
        assertTrue(done.await(30, TimeUnit.SECONDS), "all tasks ran");
        for (int i = 0; i < n; i++) {
            assertEquals(1, runs.get(i), "task " + i + " ran exactly once");
        }
        return max.get();
    }

    @Test
    void atMostTheQuotasThreadsRunAndAChangedQuotaIsPickedUp() throws Exception {
        AtomicInteger quota = new AtomicInteger(1);
        MorpheusExecutor ex = new MorpheusExecutor("quota", 3, TimeUnit.SECONDS.toNanos(60), TimeUnit.MILLISECONDS.toNanos(5),
                quota::get, threads);
        try {
            assertEquals(1, ex.activeLimit());
            assertEquals(1, maxConcurrency(ex, 100), "one CPU of quota: one thread at a time (sleeping tasks would use all 3)");
            quota.set(3);
            Thread.sleep(1_100); // past the re-read interval; the next thread to go idle reads it
            maxConcurrency(ex, 1);
            Await.until("the new quota read", TestSupport.WAIT, () -> ex.activeLimit() == 3);
            assertTrue(maxConcurrency(ex, 100) >= 2, "three CPUs of quota: the threads run side by side");
        } finally {
            ex.shutdownNow();
            ex.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutALimitEveryThreadRuns() throws Exception {
        MorpheusExecutor ex = new MorpheusExecutor("no-quota", 3, TimeUnit.SECONDS.toNanos(60), TimeUnit.MILLISECONDS.toNanos(5),
                null, threads);
        try {
            assertEquals(3, ex.activeLimit());
            assertTrue(maxConcurrency(ex, 100) >= 2, "sleeping tasks run side by side");
        } finally {
            ex.shutdownNow();
            ex.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static void write(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content + "\n");
    }

    @Test
    void cgroupV2TheTightestCpuMaxOnThePathWins(@TempDir Path root) throws IOException {
        write(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids");
        write(root.resolve("kubepods/cpu.max"), "250000 100000");
        write(root.resolve("kubepods/pod1/cpu.max"), "max 100000");
        write(root.resolve("kubepods/pod1/app/cpu.max"), "150000 100000");
        List<String> self = List.of("0::/kubepods/pod1/app");
        assertEquals(2, CgroupCpuQuota.cpus(self, root), "1.5 CPUs: two threads");
        write(root.resolve("kubepods/cpu.max"), "50000 100000");
        assertEquals(1, CgroupCpuQuota.cpus(self, root), "half a CPU above: at least one thread");
        write(root.resolve("kubepods/cpu.max"), "max 100000");
        write(root.resolve("kubepods/pod1/app/cpu.max"), "max 100000");
        assertEquals(CgroupCpuQuota.UNLIMITED, CgroupCpuQuota.cpus(self, root), "no quota anywhere");
    }

    @Test
    void cgroupV1QuotaAndPeriodFromTheCpuHierarchy(@TempDir Path root) throws IOException {
        write(root.resolve("cpu/cpu.cfs_quota_us"), "-1");
        write(root.resolve("cpu/cpu.cfs_period_us"), "100000");
        write(root.resolve("cpu/docker/abc/cpu.cfs_quota_us"), "100000");
        write(root.resolve("cpu/docker/abc/cpu.cfs_period_us"), "100000");
        List<String> self = List.of("12:memory:/docker/abc", "4:cpu,cpuacct:/docker/abc", "0::/");
        assertEquals(1, CgroupCpuQuota.cpus(self, root), "one CPU");
        write(root.resolve("cpu/docker/abc/cpu.cfs_quota_us"), "-1");
        assertEquals(CgroupCpuQuota.UNLIMITED, CgroupCpuQuota.cpus(self, root), "quota -1: none");
    }
}
