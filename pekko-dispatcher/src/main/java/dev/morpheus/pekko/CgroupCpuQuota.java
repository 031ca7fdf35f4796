package dev.morpheus.pekko;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The CPU bandwidth this process may use, from its cgroup: how many CPUs' worth of time per
 * period the quota allows (cgroup v2 {@code cpu.max}, v1 {@code cpu.cfs_quota_us} /
 * {@code cpu.cfs_period_us}), the tightest limit on the way from the process's cgroup up to the
 * root. Read on demand (two small files per level); the JDK's own container detection decides
 * once at JVM start, so it misses a process moved into a cgroup later.
 *
 * <p>Why the executor cares: under a quota of Q CPUs, more than ceil(Q) busy threads spend the
 * period's quota early and then all stop until the next period (throttling), which holds every
 * actor of the pool, a latency-sensitive one too, for up to a period (100 ms by default). With
 * at most ceil(Q) threads running, the same CPU time is spent evenly and nothing is throttled.
 */
final class CgroupCpuQuota {
    /** No quota (or none readable): no limit. */
    static final int UNLIMITED = Integer.MAX_VALUE;
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    private CgroupCpuQuota() {}

    /** ceil(quota / period) of the tightest quota over this process, at least 1; {@link #UNLIMITED} if none. */
    static int cpus() {
        try {
            return cpus(Files.readAllLines(Path.of("/proc/self/cgroup")), CGROUP_ROOT);
        } catch (IOException | RuntimeException e) {
            return UNLIMITED; // not Linux, no cgroup file system, unreadable: nothing to respect
        }
    }

    /** The same from the lines of a {@code /proc/<pid>/cgroup} file and a cgroup mount root (tests). */
    static int cpus(List<String> procCgroup, Path root) throws IOException {
        int limit = UNLIMITED;
        for (String line : procCgroup) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            String rel = f[2].startsWith("/") ? f[2].substring(1) : f[2];
            if (f[0].equals("0") && f[1].isEmpty() && Files.exists(root.resolve("cgroup.controllers"))) {
                limit = Math.min(limit, walk(root, rel, true));
            } else if (("," + f[1] + ",").contains(",cpu,")) {
                Path mount = Files.isDirectory(root.resolve("cpu")) ? root.resolve("cpu") : root.resolve(f[1]);
                limit = Math.min(limit, walk(mount, rel, false));
            }
        }
        return limit;
    }

    /** The tightest limit from {@code mount/rel} up to {@code mount}. */
    private static int walk(Path mount, String rel, boolean v2) throws IOException {
        int limit = UNLIMITED;
        Path dir = rel.isEmpty() ? mount : mount.resolve(rel);
        while (dir != null && dir.startsWith(mount)) {
            limit = Math.min(limit, v2 ? v2Limit(dir) : v1Limit(dir));
            if (dir.equals(mount)) {
                break;
            }
            dir = dir.getParent();
        }
        return limit;
    }

    private static int v2Limit(Path dir) throws IOException {
        Path max = dir.resolve("cpu.max");
        if (!Files.isReadable(max)) {
            return UNLIMITED;
        }
        String[] f = Files.readString(max).trim().split("\\s+");
        if (f.length < 2 || f[0].equals("max")) {
            return UNLIMITED;
        }
        return ceil(Long.parseLong(f[0]), Long.parseLong(f[1]));
    }

    private static int v1Limit(Path dir) throws IOException {
        Path quota = dir.resolve("cpu.cfs_quota_us");
        Path period = dir.resolve("cpu.cfs_period_us");
        if (!Files.isReadable(quota) || !Files.isReadable(period)) {
            return UNLIMITED;
        }
        long q = Long.parseLong(Files.readString(quota).trim());
        return q <= 0 ? UNLIMITED : ceil(q, Long.parseLong(Files.readString(period).trim()));
    }

    private static int ceil(long quota, long period) {
        if (period <= 0) {
            return UNLIMITED;
        }
        return (int) Math.max(1, Math.min(UNLIMITED - 1L, (quota + period - 1) / period));
    }
}
