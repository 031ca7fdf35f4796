package dev.morpheus.hint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.morpheus.abi.ScbAccess;
import dev.morpheus.abi.ScbLayout;
import dev.morpheus.abi.WorkerState;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class QueuePressureTest {
    private static final long MS = 1_000_000L;

    @Test
    void turnsShrinkWithTheQueueDownToAnEighthOfTheSlice() {
        assertEquals(5 * MS, QueuePressure.turnNanos(5 * MS, 2, 1, MS), "nobody waits long: a whole slice");
        assertEquals(5 * MS, QueuePressure.turnNanos(5 * MS, 2, 2, MS));
        assertEquals(5 * MS * 2 / 4 - MS, QueuePressure.turnNanos(5 * MS, 2, 4, MS), "4 waiting on 2 workers, 1 ms lag");
        assertEquals(5 * MS / 8, QueuePressure.turnNanos(5 * MS, 2, 7, MS), "floor: slice / 8");
        assertEquals(ScbLayout.SLICE_MIN_NS, QueuePressure.turnNanos(200_000L, 1, 1000, 0), "floor: 100 us");
    }

    @Test
    void hintsOnlyRunningWorkersPastTheirTurnAndOnlyOnce() {
        ByteBuffer region = ScbLayout.allocateRegion(3);
        ScbBinding running = bind(region, 0, WorkerState.RUNNING);
        ScbBinding idle = bind(region, 1, WorkerState.QUIESCING);
        QueuePressure q = new QueuePressure();
        long t0 = 1_000 * MS;
        q.offer(running, t0); // stamps the run's start
        q.offer(idle, t0);
        assertEquals(0, q.post(t0, 5, 5 * MS, 0), "the run has just started");
        long later = t0 + 2 * MS; // past the turn for 5 waiting on 1 worker (1 ms)
        q.offer(running, later);
        q.offer(idle, later);
        assertEquals(1, q.post(later, 5, 5 * MS, 0));
        q.offer(running, later + MS);
        assertEquals(0, q.post(later + MS, 5, 5 * MS, 0), "unanswered: no second hint");
        q.offer(running, later);
        assertEquals(0, q.post(later, 0, 5 * MS, 0), "nothing waits: no hint");
        assertEquals(0, ScbAccess.hintWordAcquire(idle.region(), idle.scb()));
    }

    private static ScbBinding bind(ByteBuffer region, int slot, WorkerState state) {
        int scb = ScbLayout.scbOffset(slot);
        ScbAccess.claim(region, scb, 100 + slot, true, WorkerState.REGISTERED);
        if (state == WorkerState.RUNNING) {
            ScbAccess.beginRun(region, scb, 1);
        } else {
            ScbAccess.setWorkerState(region, scb, state);
        }
        return new ScbBinding(region, slot, 100 + slot, true, true);
    }
}
