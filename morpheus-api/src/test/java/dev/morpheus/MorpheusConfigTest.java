package dev.morpheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MorpheusConfigTest {
    private static MorpheusConfigException reject(Map<String, String> values) {
        return assertThrows(MorpheusConfigException.class, () -> MorpheusConfig.fromMap("my-dispatcher", values));
    }

    private static void assertNames(MorpheusConfigException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
        }
    }

    @Test
    void defaultsAreValidAndRoundTrip() {
        MorpheusConfig d = MorpheusConfig.defaults();
        assertEquals("auto", d.hintSource());
        assertEquals(5_000_000L, d.sliceNanos());
        assertEquals(100_000_000L, d.graceNanos());
        assertEquals(d.toMap(), MorpheusConfig.fromMap("x", d.toMap()).toMap());
    }

    @Test
    void durationsTakeUnits() {
        MorpheusConfig c = MorpheusConfig.fromMap("x", Map.of("slice", "2ms", "grace", "500 us", "sample-interval", "0.5ms",
                "defensive-slice", "1s"));
        assertEquals(2_000_000L, c.sliceNanos());
        assertEquals(500_000L, c.graceNanos());
        assertEquals(500_000L, c.sampleIntervalNanos());
        assertEquals(1_000_000_000L, c.defensiveSliceNanos());
    }

    @Test
    void everyBadValueNamesWhereKeyValueAndRange() {
        assertNames(reject(Map.of("slice", "50us")), "my-dispatcher", "slice", "50us", "100us", "1s");
        assertNames(reject(Map.of("slice", "5")), "my-dispatcher", "slice", "5", "unit");
        assertNames(reject(Map.of("grace", "11s")), "grace", "11s", "0ns", "10s");
        assertNames(reject(Map.of("sample-interval", "10us")), "sample-interval", "10us", "100us");
        assertNames(reject(Map.of("defensive-slice", "2s")), "defensive-slice", "2s");
        assertNames(reject(Map.of("stale-after", "0ms")), "stale-after", "1ms", "60s");
        assertNames(reject(Map.of("mode-window", "forever")), "mode-window", "forever");
        assertNames(reject(Map.of("hint-source", "magic")), "hint-source", "magic", "auto, kernel, procfs, queue, manual, none");
        assertNames(reject(Map.of("escapable", "maybe")), "escapable", "maybe", "true or false");
        assertNames(reject(Map.of("max-workers", "0")), "max-workers", "0", "between 1 and 65535");
        assertNames(reject(Map.of("max-workers", "many")), "max-workers", "many");
        assertNames(reject(Map.of("socket", " ")), "socket");
        assertNames(reject(Map.of("slise", "5ms")), "slise", "not a Morpheus setting", "slice");
    }
}
