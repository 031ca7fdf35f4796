package dev.morpheus.hint.kernel;

import dev.morpheus.abi.ScbAccess;
import dev.morpheus.hint.HintSourceSettings;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One truth for the slice (issue 13): what the JVM does with the slice and max-critical that
 * morpheusd publishes in its region header ({@code slice_ns}, {@code max_critical_ns}).
 *
 * <p><b>Decision: the JVM does not adopt the daemon's values; it names a disagreement in one
 * log line.</b> The two values govern different things. The daemon's slice is what the kernel
 * program hints by (CPU consumed while others wait on the CPU); it is machine-wide, shared by
 * every JVM connected to that daemon, and no JVM can change it. The JVM's {@code morpheus.slice}
 * paces the hints the JVM posts itself (queue pressure, procfs, defensive) and how often a
 * kernel hint may make a thread give up its CPU; it is the dispatcher's tuning, which several
 * JVMs on one machine may set differently. Silently replacing a configured value with a
 * remote process's would make a dispatcher's behaviour depend on which daemon it met, so the
 * JVM keeps its own and says so, once, whenever it connects to a daemon whose values differ
 * (at start and after a reconnect to a daemon started differently; not again for the same
 * values). The same holds for max-critical: the kernel counts overruns by the daemon's, the
 * JVM ends critical batches by its own.
 */
final class DaemonAgreement {
    private DaemonAgreement() {}

    /**
     * The line to log when this JVM's settings differ from the ones in {@code region}'s header,
     * naming both values and what each governs; empty when they agree.
     */
    static Optional<String> disagreement(ByteBuffer region, HintSourceSettings config) {
        List<String> parts = new ArrayList<>();
        long daemonSlice = ScbAccess.headerSliceNanos(region);
        if (daemonSlice != config.sliceNanos()) {
            parts.add("slice: this JVM's morpheus.slice = " + millis(config.sliceNanos()) + ", morpheusd's --hint-budget-ms = "
                    + millis(daemonSlice) + " (kernel hints follow morpheusd's, the JVM's own hints and CPU yields this JVM's)");
        }
        long daemonCritical = ScbAccess.headerMaxCriticalNanos(region);
        if (daemonCritical != 0 && daemonCritical != config.maxCriticalNanos()) {
            parts.add("max-critical: this JVM's morpheus.max-critical = " + millis(config.maxCriticalNanos())
                    + ", morpheusd's --max-critical-ms = " + millis(daemonCritical)
                    + " (the kernel counts overruns by morpheusd's, critical batches end by this JVM's)");
        }
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("Morpheus kernel hint source: settings differ from morpheusd's (region header); "
                + String.join("; ", parts) + ". Set them equal to have one value");
    }

    private static String millis(long nanos) {
        return nanos % 1_000_000 == 0 ? nanos / 1_000_000 + " ms" : nanos / 1_000 + " us";
    }
}
