package dev.morpheus.hint.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.morpheus.MorpheusConfig;
import dev.morpheus.abi.ScbLayout;
import dev.morpheus.abi.EscalationPolicy;
import dev.morpheus.abi.ScbAccess;
import dev.morpheus.abi.SchedulerMode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The JVM keeps its slice and max-critical and names a daemon's different ones in one line (the decision: {@link DaemonAgreement}). */
class DaemonAgreementTest {
    private static ByteBuffer daemonRegion(long sliceNs, long maxCriticalNs) {
        ByteBuffer region = ScbLayout.allocateRegion(1);
        ScbAccess.initHeader(region, 1, 3, sliceNs, 100_000_000L, maxCriticalNs, SchedulerMode.OBSERVER,
                EscalationPolicy.NONE, 1);
        return region;
    }

    @Test
    void equalSettingsSayNothing() {
        MorpheusConfig config = MorpheusConfig.builder().slice(Duration.ofMillis(5)).maxCritical(Duration.ofSeconds(1)).build();
        assertEquals(Optional.empty(), DaemonAgreement.disagreement(daemonRegion(5_000_000L, 1_000_000_000L), config.hintSourceSettings()));
    }

    @Test
    void aDifferentSliceIsNamedWithBothValues() {
        MorpheusConfig config = MorpheusConfig.builder().slice(Duration.ofMillis(2)).build();
        String line = DaemonAgreement.disagreement(daemonRegion(5_000_000L, 1_000_000_000L), config.hintSourceSettings()).orElseThrow();
        assertTrue(line.contains("morpheus.slice = 2 ms") && line.contains("--hint-budget-ms = 5 ms"), line);
        assertTrue(!line.contains("max-critical"), "max-critical agrees: " + line);
    }

    @Test
    void aDifferentMaxCriticalIsNamedToo() {
        MorpheusConfig config = MorpheusConfig.builder().slice(Duration.ofMillis(5)).maxCritical(Duration.ofMillis(50)).build();
        String line = DaemonAgreement.disagreement(daemonRegion(5_000_000L, 1_000_000_000L), config.hintSourceSettings()).orElseThrow();
        assertTrue(line.contains("morpheus.max-critical = 50 ms") && line.contains("--max-critical-ms = 1000 ms"), line);
    }
}
