package dev.morpheus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a kernel hint source holds in this JVM, read from /proc/self: the churn tests count it
 * before and after thousands of threads, and any growth is a leak.
 *
 * <p>One class for the host's tests and the VM's: morpheus-api's test-jar carries it (beside
 * {@link Await}), KernelHintSourceDaemonTest uses it, and the VM's JVM programs
 * (vm/guest/jvm, VmKernelChurn) are compiled against that jar.
 */
public final class KernelSourceHandles {
    private KernelSourceHandles() {}

    /** Regions of morpheusd mapped into this JVM now (each is a BPF array map, one mapping). */
    public static long regionMappings() {
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            return maps.filter(l -> l.contains("bpf-map")).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/maps", e);
        }
    }

    /**
     * The fds a kernel source can hold, by kind: SEQPACKET unix sockets (libmorpheus' daemon
     * connections, counted as {@code seqpacket socket}) and BPF objects (the region map fd, by
     * its {@code anon_inode:bpf-...} target), counted from /proc/self/fd.
     */
    public static Map<String, Long> morpheusFds() {
        try {
            Set<String> seqpacket = new HashSet<>();
            for (String l : Files.readAllLines(Path.of("/proc/net/unix"))) {
                String[] f = l.trim().split("\\s+");
                if (f.length >= 7 && f[4].equals("0005")) {
                    seqpacket.add(f[6]);
                }
            }
            Map<String, Long> kinds = new TreeMap<>();
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                for (Path p : fds.toList()) {
                    String target;
                    try {
                        target = Files.readSymbolicLink(p).toString();
                    } catch (IOException e) {
                        continue; // closed meanwhile
                    }
                    String kind = target.startsWith("anon_inode:bpf") ? target
                            : target.startsWith("socket:[") && seqpacket.contains(target.substring(8, target.length() - 1))
                                    ? "seqpacket socket" : null;
                    if (kind != null) {
                        kinds.merge(kind, 1L, Long::sum);
                    }
                }
            }
            return kinds;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/fd or /proc/net/unix", e);
        }
    }
}
