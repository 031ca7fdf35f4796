package dev.morpheus.hint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.morpheus.abi.ScbAccess;
import dev.morpheus.abi.ScbLayout;
import dev.morpheus.abi.WorkerState;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Samplers time runs on their own clock, in the JVM: the worker's SCB line stays the worker's (issue 13). */
class RunClockTest {
    @Test
    void samplersStampARunWhenTheyFirstSeeItsCountAndWriteNothingIntoTheScb() {
        ByteBuffer region = ScbLayout.allocateRegion(1);
        int scb = ScbLayout.scbOffset(0);
        ScbAccess.claim(region, scb, 123, true, WorkerState.REGISTERED);
        ScbBinding b = new ScbBinding(region, 0, 123, true, true);
        assertEquals(-1, b.runningNanos(1_000), "not running");
        ScbAccess.beginRun(region, scb, 1);
        byte[] workerLine = line(region, scb + ScbLayout.CACHE_LINE);
        assertEquals(0, b.runningNanos(1_000), "first look stamps the run");
        assertEquals(4_000, b.runningNanos(5_000));
        assertEquals(java.util.Arrays.toString(workerLine), java.util.Arrays.toString(line(region, scb + ScbLayout.CACHE_LINE)),
                "a sampler writes nothing into the worker's line (ABI 1's samplers CASed run_start_ns there)");
        ScbAccess.beginRun(region, scb, 2);
        assertEquals(0, b.runningNanos(9_000), "a new run starts over");
        assertEquals(1_000, b.runningNanos(10_000));
        ScbAccess.setWorkerState(region, scb, WorkerState.QUIESCING);
        assertEquals(-1, b.runningNanos(11_000), "between runs");
    }

    private static byte[] line(ByteBuffer region, int at) {
        byte[] bytes = new byte[ScbLayout.CACHE_LINE];
        region.get(at, bytes);
        return bytes;
    }
}
