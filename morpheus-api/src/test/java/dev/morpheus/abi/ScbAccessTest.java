package dev.morpheus.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ScbAccessTest {
    @Test
    void rawAndVarHandleLoadsSeeTheSameSequence() {
        ByteBuffer region = ScbAccess.allocateRegion(4);
        int scb = ScbLayout.scbOffset(3);
        long address = ScbAccess.hintSeqAddress(region, scb);
        assertEquals(Runtime.version().feature() < 23, ScbAccess.rawLoads(), "raw loads only where Unsafe is silent");
        assertEquals(ScbAccess.rawLoads(), address != 0);
        for (int i = 1; i <= 3; i++) {
            long seq = ScbAccess.postHint(region, scb, HintReason.MANUAL, 10 * i, System.nanoTime(), 0);
            assertEquals(i, seq);
            assertEquals(seq, ScbAccess.hintSeqAcquire(region, scb, address));
            assertEquals(seq, ScbAccess.hintSeqAcquire(region, scb, 0));
        }
        assertEquals(30, ScbAccess.pressure(region, scb));
        assertEquals(0, ScbAccess.hintSeqAcquire(region, ScbLayout.scbOffset(2), 0), "neighbours untouched");
    }

    @Test
    void headersArePublishedByTheMagicAndValidated() {
        ByteBuffer region = ScbAccess.allocateRegion(2);
        IllegalStateException unpublished = assertThrows(IllegalStateException.class, () -> ScbAccess.validateHeader(region));
        assertTrue(unpublished.getMessage().contains("magic"), unpublished.getMessage());
        ScbAccess.initHeader(region, 2, 7, 5_000_000L, 100_000_000L, 0, SchedulerMode.OBSERVER, EscalationPolicy.NONE, 42);
        ScbAccess.validateHeader(region);
        assertEquals(2, ScbAccess.slotCount(region));
        assertEquals(42, ScbAccess.daemonEpoch(region));
        region.putShort(ScbLayout.HEADER_ABI_MAJOR_OFFSET, (short) (ScbLayout.ABI_MAJOR + 1));
        IllegalStateException major = assertThrows(IllegalStateException.class, () -> ScbAccess.validateHeader(region));
        assertTrue(major.getMessage().contains("ABI major"), major.getMessage());
    }

    @Test
    void runsAreStampedBySamplersNotByWorkers() {
        ByteBuffer region = ScbAccess.allocateRegion(1);
        int scb = ScbLayout.scbOffset(0);
        ScbAccess.claim(region, scb, 123, true, WorkerState.REGISTERED);
        assertEquals(-1, ScbAccess.runningNanos(region, scb, 1_000), "not running");
        ScbAccess.beginRun(region, scb);
        assertEquals(0, ScbAccess.runningNanos(region, scb, 1_000), "first look stamps the run");
        assertEquals(4_000, ScbAccess.runningNanos(region, scb, 5_000));
        ScbAccess.beginRun(region, scb);
        assertEquals(0, ScbAccess.runningNanos(region, scb, 9_000), "a new run starts over");
        assertFalse(ScbAccess.hintPending(region, scb));
        ScbAccess.postHint(region, scb, HintReason.QUEUE_PRESSURE, 50, 9_000, 0);
        assertTrue(ScbAccess.hintPending(region, scb));
        assertNotEquals(0, ScbAccess.hintSeqAcquire(region, scb, 0));
    }
}
