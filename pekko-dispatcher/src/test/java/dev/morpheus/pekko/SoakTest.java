package dev.morpheus.pekko;

import static dev.morpheus.pekko.TestSupport.MANUAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;

/**
 * A bounded soak: the dispatcher under a continuous hint storm and CPU contention, round after
 * round of many senders x many messages. Every round checks message conservation (each message
 * processed exactly once, per-sender order kept); across rounds, resident memory and registered
 * worker slots must stay flat. {@code -Dmorpheus.soak.seconds} sets the length: 20 s by default
 * (make test), 600 s for the full soak ({@code make soak}).
 */
class SoakTest {
    private static final int RECEIVERS = 4;
    private static final int SENDERS = 8;
    private static final int PER_SENDER = 2_000;

    @Test
    void hintStormUnderContentionLosesNothingAndStaysFlat() throws Exception {
        long seconds = Long.getLong("morpheus.soak.seconds", 20);
        ActorTestKit kit = TestSupport.testKit("SoakTest");
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> hogs = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            Thread hog = new Thread(() -> {
                long x = 0;
                while (!stop.get()) {
                    x = x * 6364136223846793005L + 1442695040888963407L;
                }
                if (x == 7) {
                    System.out.print("");
                }
            }, "soak-hog-" + i);
            hog.setDaemon(true);
            hog.start();
            hogs.add(hog);
        }
        MorpheusDispatcher d = TestSupport.dispatcher(kit, MANUAL);
        TestSupport.HintStorm storm = new TestSupport.HintStorm(TestSupport.manual(d));
        long messages = 0;
        int rounds = 0;
        long rssAfterWarmup = 0;
        long maxRss = 0;
        int workersAfterWarmup = -1;
        try {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < end || rounds < 2) {
                List<Ordering.Report> reports = Ordering.run(kit, MANUAL, RECEIVERS, SENDERS, PER_SENDER);
                assertEquals(RECEIVERS, reports.size());
                for (Ordering.Report r : reports) {
                    assertEquals(0, r.outOfOrder(), "round " + rounds + ": receiver " + r.receiver() + " out of order");
                    assertEquals(Collections.nCopies(SENDERS, PER_SENDER), r.perSender(),
                            "round " + rounds + ": receiver " + r.receiver() + " lost or duplicated messages");
                }
                messages += (long) RECEIVERS * SENDERS * PER_SENDER;
                rounds++;
                System.gc();
                long rss = residentKiB();
                int workers = d.morpheus().liveWorkers();
                if (rounds == 2) {
                    rssAfterWarmup = rss;
                    workersAfterWarmup = workers;
                }
                if (rounds > 2) {
                    maxRss = Math.max(maxRss, rss);
                    // The pool may add a compensation thread now and then, never a slot per round.
                    assertTrue(workers <= workersAfterWarmup + 2,
                            "round " + rounds + ": registered workers grew from " + workersAfterWarmup + " to " + workers);
                }
            }
        } finally {
            storm.stop();
            stop.set(true);
            for (Thread h : hogs) {
                h.join();
            }
            kit.shutdownTestKit();
        }
        MorpheusDispatcherStats stats = d.stats();
        System.out.printf("soak: %d s, %d rounds, %d messages checked, 0 lost/duplicated/reordered, batches cut by hint %d, "
                + "RSS after warm-up %d KiB, max after %d KiB%n", seconds, rounds, messages, stats.batchesCutByHint(),
                rssAfterWarmup, maxRss);
        assertTrue(stats.batchesCutByHint() > 0, "the storm cut batches: " + stats);
        if (rssAfterWarmup > 0 && maxRss > 0) {
            // Flat: allow GC and JIT noise, not steady growth.
            assertTrue(maxRss <= rssAfterWarmup * 3 / 2 + 64 * 1024,
                    "RSS grew from " + rssAfterWarmup + " KiB to " + maxRss + " KiB");
        }
        assertEquals(0, d.morpheus().liveWorkers(), "every worker slot freed after shutdown");
    }

    /** VmRSS of this process in KiB, or 0 where /proc is absent. */
    private static long residentKiB() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return 0;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }
}
