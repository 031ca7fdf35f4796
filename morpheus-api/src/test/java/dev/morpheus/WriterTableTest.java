package dev.morpheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.morpheus.abi.HintWords;
import dev.morpheus.abi.ScbAccess;
import dev.morpheus.abi.ScbLayout;
import dev.morpheus.abi.YieldCause;
import dev.morpheus.hint.Health;
import dev.morpheus.hint.ManualHintSource;
import dev.morpheus.hint.ScbBinding;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The JVM follows the writer table of morpheus_abi.h: every hint it posts (manual, defensive,
 * queue pressure, rebind) moves only {@code local_hint_seq}; the KERNEL fields of line 0 stay
 * exactly as the kernel left them (here: zero, there is no kernel). Under ABI 1 the same
 * scenario wrote hint_seq, hint_reason, pressure, hint_time_ns and budget_remaining_ns.
 */
class WriterTableTest {
    @Test
    void hintsPostedByTheJvmNeverWriteAKernelField() throws Exception {
        MorpheusConfig config = MorpheusConfig.builder().hintSource("manual").defensiveSlice(Duration.ofMillis(2))
                .queueHints(true).build();
        try (Morpheus morpheus = Morpheus.open("writers", config)) {
            ManualHintSource manual = (ManualHintSource) morpheus.hintSource();
            MorpheusWorker w = morpheus.registerCurrentThread("writer-test");
            ScbBinding b = w.binding();
            w.markRunning();
            assertEquals(1, manual.postAll());
            assertEquals(YieldCause.HINT, w.acknowledgeHint());
            manual.setHealth(Health.lost("test says so"));
            Await.until("a defensive hint", Duration.ofSeconds(10), w::checkpoint);
            assertEquals(YieldCause.DEFENSIVE, w.acknowledgeHint());
            manual.setHealth(Health.healthy());
            w.markQuiescing();
            ScbBinding fresh = new ScbBinding(ScbLayout.allocateRegion(1), 0, w.tid(), true, true);
            w.requestRebind(fresh);
            assertTrue(HintWords.localSeq(ScbAccess.hintWordAcquire(b.region(), b.scb())) >= 3,
                    "manual, defensive and rebind hints moved the JVM's sequence");
            assertKernelFieldsUntouched(b.region(), b.scb());
            w.acknowledgeHint(); // adopts the fresh binding
            assertKernelFieldsUntouched(fresh.region(), fresh.scb());
            morpheus.hintSource().unbind(b);
            w.close();
        }
    }

    /** Line 0 but local_hint_seq: the kernel's alone. */
    static void assertKernelFieldsUntouched(ByteBuffer region, int scb) {
        for (int at = 0; at < ScbLayout.CACHE_LINE; at++) {
            boolean local = at >= ScbLayout.SCB_LOCAL_HINT_SEQ_OFFSET && at < ScbLayout.SCB_LOCAL_HINT_SEQ_OFFSET + Integer.BYTES;
            if (!local) {
                assertEquals(0, region.get(scb + at), "kernel byte " + at + " of the SCB written by the JVM");
            }
        }
    }
}
