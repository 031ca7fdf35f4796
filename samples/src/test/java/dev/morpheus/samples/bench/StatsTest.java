package dev.morpheus.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void jainIsOneForEvenAndOneOverNForOneTaker() {
        assertEquals(1.0, Stats.jain(new long[] {5, 5, 5, 5}), 1e-12);
        assertEquals(0.25, Stats.jain(new long[] {9, 0, 0, 0}), 1e-12);
        assertEquals(0.5, Stats.jain(new long[] {3, 3, 0, 0}), 1e-12);
    }

    @Test
    void nearestRankPercentiles() {
        long[] v = new long[100];
        for (int i = 0; i < 100; i++) {
            v[i] = i + 1;
        }
        assertEquals(50, Stats.percentile(v, 50));
        assertEquals(99, Stats.percentile(v, 99));
        assertEquals(100, Stats.max(v));
        assertTrue(Double.isNaN(Stats.percentile(new long[0], 50)));
    }

    @Test
    void longListSortsACopy() {
        LongList l = new LongList();
        for (int i = 3000; i > 0; i--) {
            l.add(i);
        }
        long[] s = l.sorted();
        assertEquals(3000, s.length);
        assertEquals(1, s[0]);
        assertEquals(3000, s[2999]);
    }
}
