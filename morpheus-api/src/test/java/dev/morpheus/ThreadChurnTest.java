package dev.morpheus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 10,000 worker threads come and go, half closing their worker, half dying without doing so
 * (the housekeeper must reap those): afterwards no slot is left registered.
 */
class ThreadChurnTest {
    @Test
    void tenThousandThreadsLeaveNoSlotBehind() throws Exception {
        MorpheusConfig config = MorpheusConfig.builder().hintSource("queue").maxWorkers(512).build();
        try (Morpheus morpheus = Morpheus.open("churn", config)) {
            ExecutorService starter = Executors.newFixedThreadPool(8);
            for (int i = 0; i < 10_000; i++) {
                boolean closeIt = i % 2 == 0;
                starter.execute(() -> {
                    Thread t = new Thread(() -> {
                        MorpheusWorker w = morpheus.registerCurrentThread();
                        w.markRunning();
                        w.checkpoint();
                        w.markQuiescing();
                        if (closeIt) {
                            w.close();
                        }
                    });
                    t.start();
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            starter.shutdown();
            starter.awaitTermination(5, TimeUnit.MINUTES);
            Await.until("every worker of a dead thread reaped", Duration.ofSeconds(30), () -> morpheus.liveWorkers() == 0);
            MorpheusMetrics m = morpheus.metrics();
            assertEquals(10_000, m.registeredTotal());
            assertEquals(0, m.liveWorkers());
            assertEquals(0, ((dev.morpheus.hint.LocalHintSource) morpheus.hintSource()).slotsInUse(),
                    "every SCB slot returned to the pool");
        }
    }
}
