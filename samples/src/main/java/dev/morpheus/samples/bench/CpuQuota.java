package dev.morpheus.samples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Scenario S5's container: this JVM (every thread of it) moved into a cgroup of its own whose
 * CPU bandwidth is {@code cpus} CPUs per 100 ms period, and back into its original cgroup on
 * {@link #close}. cgroup v2 ({@code cpu.max}) where the unified hierarchy is mounted at
 * /sys/fs/cgroup with the cpu controller, else v1 ({@code cpu.cfs_quota_us} in the cpu
 * hierarchy). Needs root; {@link #unavailable} says why not, before anything is touched.
 *
 * <p>{@link #throttling} reads the cgroup's {@code cpu.stat}: periods, throttled periods and
 * throttled time, the numbers that explain a JVM's tail latency under a quota.
 */
final class CpuQuota implements AutoCloseable {
    static final long PERIOD_US = 100_000;
    private static final Path V2_ROOT = Path.of("/sys/fs/cgroup");
    private static final Path V1_CPU = Path.of("/sys/fs/cgroup/cpu");

    private final boolean v2;
    private final Path group;
    private final Path original;
    private Map<String, Long> statAtStart;

    /** Why a quota cannot be set here (null if it can). */
    static String unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "needs root (creates a cgroup and moves the JVM into it)";
        }
        if (v2Available() || Files.isWritable(V1_CPU.resolve("cgroup.procs"))) {
            return null;
        }
        return "no writable cgroup cpu controller (neither " + V2_ROOT + "/cgroup.controllers with cpu nor " + V1_CPU + ")";
    }

    private static boolean v2Available() {
        try {
            Path c = V2_ROOT.resolve("cgroup.controllers");
            return Files.exists(c) && (" " + Files.readString(c).trim() + " ").contains(" cpu ");
        } catch (IOException e) {
            return false;
        }
    }

    /** Moves this JVM into a new cgroup limited to {@code cpus} CPUs. */
    CpuQuota(double cpus) throws IOException {
        String why = unavailable();
        if (why != null) {
            throw new IOException("CPU quota: " + why);
        }
        v2 = v2Available();
        String me = "morpheus-bench-" + ProcessHandle.current().pid();
        original = ownCgroup();
        long quotaUs = Math.round(cpus * PERIOD_US);
        if (v2) {
            Path parent = original.getParent() != null ? original.getParent() : V2_ROOT;
            enableCpuController(parent);
            group = parent.resolve(me);
            Files.createDirectories(group);
            Files.writeString(group.resolve("cpu.max"), quotaUs + " " + PERIOD_US);
        } else {
            group = V1_CPU.resolve(me);
            Files.createDirectories(group);
            Files.writeString(group.resolve("cpu.cfs_period_us"), String.valueOf(PERIOD_US));
            Files.writeString(group.resolve("cpu.cfs_quota_us"), String.valueOf(quotaUs));
        }
        Files.writeString(group.resolve("cgroup.procs"), String.valueOf(ProcessHandle.current().pid()));
        statAtStart = stat();
    }

    /** The cgroup directory this process is in now (v2: the unified one; v1: the cpu hierarchy's). */
    private Path ownCgroup() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            boolean cpuLine = v2 ? f[0].equals("0") && f[1].isEmpty() : (("," + f[1] + ",").contains(",cpu,"));
            if (cpuLine) {
                String rel = f[2].startsWith("/") ? f[2].substring(1) : f[2];
                return rel.isEmpty() ? (v2 ? V2_ROOT : V1_CPU) : (v2 ? V2_ROOT : V1_CPU).resolve(rel);
            }
        }
        return v2 ? V2_ROOT : V1_CPU;
    }

    private static void enableCpuController(Path parent) throws IOException {
        Path control = parent.resolve("cgroup.subtree_control");
        if (!(" " + Files.readString(control).trim() + " ").contains(" cpu ")) {
            Files.writeString(control, "+cpu");
        }
    }

    /** The cgroup's cpu.stat counters (v1 throttled_time in ns is reported as throttled_usec). */
    private Map<String, Long> stat() throws IOException {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(group.resolve("cpu.stat"))) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2) {
                long v = Long.parseLong(kv[1]);
                if (kv[0].equals("throttled_time")) {
                    m.put("throttled_usec", v / 1000);
                } else {
                    m.put(kv[0], v);
                }
            }
        }
        return m;
    }

    /** Periods, throttled periods and throttled time since the last call (or the start), and the quota. */
    Map<String, Object> throttling() throws IOException {
        Map<String, Long> now = stat();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cgroup", v2 ? "v2" : "v1");
        for (String k : new String[] {"nr_periods", "nr_throttled", "throttled_usec"}) {
            m.put(k, now.getOrDefault(k, 0L) - statAtStart.getOrDefault(k, 0L));
        }
        statAtStart = now;
        return m;
    }

    String describe() {
        return String.format(Locale.ROOT, "cgroup %s %s", v2 ? "v2" : "v1", group);
    }

    /** Back into the original cgroup; the quota's cgroup is removed. */
    @Override
    public void close() throws IOException {
        Files.writeString(original.resolve("cgroup.procs"), String.valueOf(ProcessHandle.current().pid()));
        // A thread started meanwhile may still be listed for a moment: retry the removal briefly.
        for (int i = 0; i < 50; i++) {
            try {
                Files.deleteIfExists(group);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
