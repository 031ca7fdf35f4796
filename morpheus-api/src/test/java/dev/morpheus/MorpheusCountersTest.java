package dev.morpheus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.morpheus.abi.YieldCause;
import dev.morpheus.hint.ManualHintSource;
import org.junit.jupiter.api.Test;

/** The facade's single-figure getters agree with the full snapshot, before and after a worker ends. */
class MorpheusCountersTest {
    @Test
    void gettersMatchTheSnapshot() throws Exception {
        try (Morpheus morpheus = Morpheus.open("counters", MorpheusConfig.builder().hintSource("manual").build())) {
            ManualHintSource manual = (ManualHintSource) morpheus.hintSource();
            MorpheusWorker w = morpheus.registerCurrentThread("counter-test");
            w.markRunning();
            assertEquals(1, manual.postAll());
            assertEquals(YieldCause.HINT, w.acknowledgeHint());
            assertAgree(morpheus, 1, 1, 1);
            w.close();
            assertAgree(morpheus, 1, 1, 1); // an ended worker's answers stay in the totals
            Thread other = new Thread(() -> morpheus.registerCurrentThread("second").close());
            other.start();
            other.join();
            assertAgree(morpheus, 2, 1, 1);
        }
    }

    private static void assertAgree(Morpheus morpheus, long registered, long posted, long answered) {
        MorpheusMetrics m = morpheus.metrics();
        assertEquals(registered, morpheus.registeredTotal());
        assertEquals(m.registeredTotal(), morpheus.registeredTotal());
        assertEquals(posted, morpheus.hintsPosted());
        assertEquals(m.hintsPosted(), morpheus.hintsPosted());
        assertEquals(answered, morpheus.hintsAnswered());
        assertEquals(m.hintsAnswered(), morpheus.hintsAnswered());
    }
}
