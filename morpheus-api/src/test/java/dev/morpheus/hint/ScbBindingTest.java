package dev.morpheus.hint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.morpheus.abi.ScbLayout;
import dev.morpheus.abi.HintReason;
import dev.morpheus.abi.ScbAccess;
import dev.morpheus.abi.WorkerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Bindings are identities: maps find them again whatever the SCB holds, and a stale one frees nothing (issue 13). */
class ScbBindingTest {

    @Test
    void aMapKeyedByABindingFindsItAfterTheScbChanged() throws Exception {
        LocalScbPool pool = new LocalScbPool(4, 5_000_000, 100_000_000);
        ScbBinding b = pool.claim(1234, true, true);
        Map<ScbBinding, String> byBinding = new ConcurrentHashMap<>();
        byBinding.put(b, "sampler");
        ScbAccess.beginRun(b.region(), b.scb(), 1);
        b.postLocalHint(HintReason.MANUAL, 50, System.nanoTime());
        ScbAccess.postKernelHint(b.region(), b.scb(), HintReason.SLICE_EXPIRED, 50, System.nanoTime(), 0);
        ScbAccess.setWorkerState(b.region(), b.scb(), WorkerState.QUIESCING);
        assertEquals("sampler", byBinding.remove(b), "the region's content changed; the key did not");
        assertEquals(0, byBinding.size());
    }

    @Test
    void twoBindingsOfTheSameSlotAreNotEqual() {
        java.nio.ByteBuffer region = ScbLayout.allocateRegion(1);
        ScbBinding first = new ScbBinding(region, 0, 7, true, true);
        ScbBinding second = new ScbBinding(region, 0, 7, true, true);
        assertNotEquals(first, second);
        assertEquals(first, first);
    }

    @Test
    void aStaleBindingOfAReusedSlotReleasesNothing() throws Exception {
        LocalScbPool pool = new LocalScbPool(4, 5_000_000, 100_000_000);
        ScbBinding stale = pool.claim(1, true, true);
        pool.release(stale);
        ScbBinding fresh = pool.claim(1, true, true); // the kernel reuses thread ids too
        assertSame(stale.region(), fresh.region());
        assertEquals(stale.slot(), fresh.slot(), "the freed slot is reused");
        assertNotSame(stale, fresh);
        pool.release(stale); // a late second release of the old claim
        assertEquals(1, pool.inUse(), "the fresh claim is still held");
        assertEquals(WorkerState.REGISTERED, ScbAccess.workerState(fresh.region(), fresh.scb()));
        List<ScbBinding> seen = new ArrayList<>();
        pool.forEach(seen::add);
        assertEquals(List.of(fresh), seen);
        pool.release(fresh);
        assertEquals(0, pool.inUse());
    }
}
