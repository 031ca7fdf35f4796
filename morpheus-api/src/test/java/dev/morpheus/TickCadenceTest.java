package dev.morpheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TickCadenceTest {
    private static final long MS = 1_000_000L;
    private static final long SAMPLE = MS;
    private static final long SLICE = 5 * MS;

    @Test
    void idleDozesAndComesBackToTheSampleInterval() {
        TickCadence c = new TickCadence(SAMPLE, SLICE);
        assertEquals(SAMPLE, c.next(0, 0, 0, false, false));
        assertTrue(c.idle());
        assertEquals(SAMPLE, c.next(1, 0, 0, true, false), "a hint posted: sample again at once");
        assertFalse(c.idle());
        assertEquals(2 * MS, c.next(1, 0, 0, false, false));
        c.next(0, 0, 1, false, false);
        assertFalse(c.idle(), "work waiting is not idle");
    }

    @Test
    void quietTicksBackOffToHalfASliceAndAnyLongRunResets() {
        TickCadence c = new TickCadence(SAMPLE, SLICE);
        assertEquals(2 * MS, c.next(2, 10_000, 1, false, false));
        assertEquals(SLICE / 2, c.next(2, 10_000, 1, false, false));
        assertEquals(SLICE / 2, c.next(2, 10_000, 1, false, false), "never beyond half a slice");
        assertEquals(SAMPLE, c.next(2, SLICE / 4, 1, false, false), "a quarter-slice run is one a hint may soon be due for");
        assertEquals(2 * MS, c.next(2, 0, 0, false, false));
        assertEquals(SAMPLE, c.next(2, 0, 3, false, false), "more work waits than workers run");
        assertEquals(2 * MS, c.next(2, 0, 2, false, false));
        assertEquals(SAMPLE, c.next(2, 0, 0, false, true), "DEFENSIVE posts time-sliced hints every tick");
        assertEquals(SAMPLE, c.next(0, 0, 0, false, true));
        assertFalse(c.idle(), "DEFENSIVE never dozes");
    }

    @Test
    void aSampleIntervalLongerThanHalfASliceIsKept() {
        TickCadence c = new TickCadence(4 * MS, 2 * MS);
        assertEquals(4 * MS, c.next(1, 0, 0, false, false));
        assertEquals(4 * MS, c.next(1, 0, 0, false, false));
    }
}
