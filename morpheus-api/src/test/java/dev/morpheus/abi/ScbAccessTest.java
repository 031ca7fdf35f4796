package dev.morpheus.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ScbAccessTest {
    /**
     * The multi-release jar: on JDK 22+ the FFM implementation (META-INF/versions/22) must be
     * the one loaded (the build runs this module's tests on the jar there), before 22 the
     * Unsafe one; a jar without its versioned class, or tests on a plain class directory on
     * JDK 25, fail here.
     */
    @Test
    void theImplementationMatchesTheJdk() {
        int feature = Runtime.version().feature();
        assertEquals(feature >= 22 ? "ffm" : "unsafe", ScbAccess.implementation(),
                "ScbAccess implementation on JDK " + feature + " (loaded from "
                        + ScbAccess.class.getProtectionDomain().getCodeSource().getLocation() + ")");
    }

    @Test
    void theHotHandleAndTheBufferSeeTheSameHintWord() {
        ByteBuffer region = ScbLayout.allocateRegion(4);
        int scb = ScbLayout.scbOffset(3);
        Object base = ScbAccess.hotBase(region, scb);
        long offset = ScbAccess.hotOffset(region, scb);
        assertEquals(0, ScbAccess.hotHintWord(base, offset));
        for (int i = 1; i <= 3; i++) {
            int seq = ScbAccess.postKernelHint(region, scb, HintReason.MANUAL, 10 * i, System.nanoTime(), 0);
            assertEquals(i, seq);
            long word = ScbAccess.hotHintWord(base, offset);
            assertEquals(word, ScbAccess.hintWordAcquire(region, scb));
            assertEquals(seq, HintWords.kernelSeq(word));
            assertEquals(word, region.getLong(scb + ScbLayout.SCB_HINT_WORD_OFFSET), "the hint word at its ABI offset");
        }
        ScbAccess.incrementLocalHintSeq(region, scb);
        assertEquals(1, HintWords.localSeq(ScbAccess.hotHintWord(base, offset)), "the hot load sees the JVM's half too");
        assertEquals(30, ScbAccess.pressure(region, scb));
        int neighbour = ScbLayout.scbOffset(2);
        assertEquals(0, ScbAccess.hotHintWord(ScbAccess.hotBase(region, neighbour), ScbAccess.hotOffset(region, neighbour)),
                "neighbours untouched");
    }

    /**
     * ABI 2's writer split: the kernel's and the JVM's hints each move only their own 32-bit
     * half of the hint word, and the word (the checkpoint's one load) sees both. Against ABI 1,
     * where both posters incremented one hint_seq, the local half would never move.
     */
    @Test
    void kernelAndLocalPostersEachMoveOnlyTheirOwnHalfOfTheHintWord() {
        ByteBuffer region = ScbLayout.allocateRegion(1);
        int scb = ScbLayout.scbOffset(0);
        ScbAccess.postKernelHint(region, scb, HintReason.SLICE_EXPIRED, 50, 1, 0);
        ScbAccess.postKernelHint(region, scb, HintReason.SLICE_EXPIRED, 50, 2, 0);
        assertEquals(3, ScbAccess.incrementLocalHintSeq(region, scb) + ScbAccess.incrementLocalHintSeq(region, scb));
        ScbAccess.incrementLocalHintSeq(region, scb);
        long word = ScbAccess.hintWordAcquire(region, scb);
        assertEquals(2, HintWords.kernelSeq(word));
        assertEquals(3, HintWords.localSeq(word));
        assertEquals(2, region.getInt(scb + ScbLayout.SCB_KERNEL_HINT_SEQ_OFFSET), "the kernel's field is the kernel's count");
        assertEquals(3, region.getInt(scb + ScbLayout.SCB_LOCAL_HINT_SEQ_OFFSET), "the JVM's field is the JVM's count");
        assertEquals(5, HintWords.hintCount(word));
        ScbAccess.ack(region, scb, word);
        assertEquals(2, region.getInt(scb + ScbLayout.SCB_KERNEL_ACK_SEQ_OFFSET), "the kernel reads its own half of the ack");
        assertEquals(3, region.getInt(scb + ScbLayout.SCB_LOCAL_ACK_SEQ_OFFSET));
        assertFalse(ScbAccess.hintPending(region, scb));
    }

    @Test
    void aWrappingSequenceIsStillAChangeOfTheWord() {
        ByteBuffer region = ScbLayout.allocateRegion(1);
        int scb = ScbLayout.scbOffset(0);
        region.putInt(scb + ScbLayout.SCB_KERNEL_HINT_SEQ_OFFSET, -1); // 0xffffffff: the next post wraps
        long before = ScbAccess.hintWordAcquire(region, scb);
        assertEquals(0, ScbAccess.postKernelHint(region, scb, HintReason.SLICE_EXPIRED, 50, 1, 0));
        long after = ScbAccess.hintWordAcquire(region, scb);
        assertNotEquals(before, after);
        assertEquals(0, HintWords.localSeq(after), "no carry into the JVM's half");
    }

    @Test
    void theRunCountIsTheWorkersOnlyRunMark() {
        ByteBuffer region = ScbLayout.allocateRegion(1);
        int scb = ScbLayout.scbOffset(0);
        ScbAccess.claim(region, scb, 123, true, WorkerState.REGISTERED);
        assertEquals(0, ScbAccess.runSeq(region, scb));
        ScbAccess.beginRun(region, scb, 1);
        assertEquals(WorkerState.RUNNING, ScbAccess.workerState(region, scb));
        assertEquals(1, ScbAccess.runSeq(region, scb));
        ScbAccess.setWorkerState(region, scb, WorkerState.QUIESCING);
        Object base = ScbAccess.hotBase(region, scb);
        long offset = ScbAccess.hotOffset(region, scb);
        ScbAccess.hotBeginRun(base, offset, 2);
        assertEquals(2, ScbAccess.runSeq(region, scb), "the hot path stores the same field");
        assertEquals(2, region.getLong(scb + ScbLayout.SCB_RUN_SEQ_OFFSET));
        assertEquals(WorkerState.RUNNING, ScbAccess.workerState(region, scb), "and the state");
        ScbAccess.hotWorkerState(base, offset, WorkerState.QUIESCING);
        assertEquals(WorkerState.QUIESCING, ScbAccess.workerState(region, scb));
        assertEquals(WorkerState.QUIESCING.code(), region.getInt(scb + ScbLayout.SCB_WORKER_STATE_OFFSET));
        assertFalse(ScbAccess.hintPending(region, scb));
        ScbAccess.incrementLocalHintSeq(region, scb);
        assertTrue(ScbAccess.hintPending(region, scb));
    }

    /**
     * The worker's per-event accesses through its hot handle (ack, critical sections, yields, the
     * kernel's hint fields) reach the same fields as the (region, scb) methods, in an SCB between
     * two others that stay untouched (an offset off by a field or an SCB shows here).
     */
    @Test
    void theWorkersHotAccessesReachTheSameFieldsAsTheRegionOnes() {
        ByteBuffer region = ScbLayout.allocateRegion(3);
        int scb = ScbLayout.scbOffset(1);
        ScbAccess.claim(region, scb, 77, true, WorkerState.REGISTERED);
        Object base = ScbAccess.hotBase(region, scb);
        long at = ScbAccess.hotOffset(region, scb);

        ScbAccess.postKernelHint(region, scb, HintReason.RUNQ_PRESSURE, 42, 123_456_789L, 5L);
        assertEquals(HintReason.RUNQ_PRESSURE, ScbAccess.hotHintReason(base, at));
        assertEquals(42, ScbAccess.hotPressure(base, at));
        assertEquals(123_456_789L, ScbAccess.hotHintTimeNanos(base, at));
        assertEquals(ScbAccess.escalationCount(region, scb), ScbAccess.hotEscalationCount(base, at));
        region.putLong(scb + ScbLayout.SCB_ESCALATION_COUNT_OFFSET, 3);
        assertEquals(3, ScbAccess.hotEscalationCount(base, at));

        assertTrue(ScbAccess.hintPending(region, scb));
        ScbAccess.hotAck(base, at, ScbAccess.hotHintWord(base, at));
        assertFalse(ScbAccess.hintPending(region, scb), "the hot ack answers the hint");
        assertEquals(ScbAccess.hintWordAcquire(region, scb), ScbAccess.ackWord(region, scb));

        ScbAccess.hotSetCritical(base, at, 1, 987_654_321L);
        assertEquals(1, ScbAccess.criticalDepth(region, scb));
        assertEquals(987_654_321L, ScbAccess.criticalEntryNanos(region, scb));
        ScbAccess.hotSetCritical(base, at, 2, 0);
        assertEquals(2, ScbAccess.criticalDepth(region, scb));
        assertEquals(987_654_321L, ScbAccess.criticalEntryNanos(region, scb), "a nested entry keeps the outer entry time");
        ScbAccess.hotSetCritical(base, at, 0, 0);
        assertEquals(0, ScbAccess.criticalDepth(region, scb));

        ScbAccess.hotRecordYield(base, at, YieldCause.HINT, true);
        ScbAccess.hotRecordYield(base, at, YieldCause.VOLUNTARY, false);
        assertEquals(2, ScbAccess.yieldCount(region, scb));
        assertEquals(1, ScbAccess.hintYieldCount(region, scb));
        assertEquals(YieldCause.VOLUNTARY, ScbAccess.lastYieldCause(region, scb));

        ScbAccess.hotWorkerState(base, at, WorkerState.RUNNING);
        assertEquals(WorkerState.RUNNING, ScbAccess.workerState(region, scb));

        for (int other : new int[] {ScbLayout.scbOffset(0), ScbLayout.scbOffset(2)}) {
            for (int i = 0; i < ScbLayout.SCB_SIZE; i += 8) {
                assertEquals(0, region.getLong(other + i), "byte " + i + " of a neighbouring SCB was written");
            }
        }
    }

    @Test
    void headersArePublishedByTheMagicAndValidated() {
        ByteBuffer region = ScbLayout.allocateRegion(2);
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
}
