package dev.morpheus.samples.bench;

import com.sun.jna.Native;
import dev.morpheus.abi.ScbAccess;
import dev.morpheus.abi.ScbLayout;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seed 003's "three runtimes" question in Morpheus terms: the same CPU-bound loop of small work
 * steps with (a) no checkpoint, (b) a checkpoint per step as an acquire load from an mmapped
 * SCB (tmpfs file mapped like the kernel's region), (c) a JNA direct-mapped native call per step
 * (what a checkpoint through a native library would cost). Rounds alternate between variants
 * so that machine noise hits all three; the best round of each is reported.
 */
final class CheckpointRuntimes {
    private CheckpointRuntimes() {}

    static final class Libc {
        static {
            Native.register("c");
        }

        static native int abs(int x);
    }

    static final List<String> VARIANTS = List.of("none", "mmapped-scb", "jna-call");

    /** Nanoseconds per step for each variant, and the overhead against "none". */
    static Map<String, Object> run(double stepMicros, int steps, int rounds) throws IOException {
        MappedByteBuffer region = map();
        int scb = ScbLayout.scbOffset(0);
        long answered = ScbAccess.hintWordAcquire(region, scb);
        Object hotBase = ScbAccess.hotBase(region, scb); // the checkpoint's own handle, as MorpheusWorker keeps it
        long hotOffset = ScbAccess.hotOffset(region, scb);
        long r = WorkUnit.roundsFor(stepMicros);
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            for (int v = 0; v < 3; v++) {
                long start = System.nanoTime();
                long acc = round + v + 1;
                int yields = 0;
                for (int i = 0; i < steps; i++) {
                    acc = WorkUnit.spin(acc, r);
                    if (v == 1) {
                        if (ScbAccess.hotHintWord(hotBase, hotOffset) != answered) {
                            yields++;
                        }
                    } else if (v == 2) {
                        yields += Libc.abs((int) acc) == -1 ? 1 : 0;
                    }
                }
                double ns = (System.nanoTime() - start) / (double) steps;
                sink += acc + yields;
                best[v] = Math.min(best[v], ns);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step_us", stepMicros);
        m.put("steps_per_round", steps);
        m.put("rounds", rounds);
        for (int v = 0; v < 3; v++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("ns_per_step", best[v]);
            row.put("overhead_ns_per_checkpoint", best[v] - best[0]);
            row.put("relative_to_none", best[v] / best[0]);
            m.put(VARIANTS.get(v), row);
        }
        m.put("sink", sink & 0xff);
        return m;
    }

    private static MappedByteBuffer map() throws IOException {
        Path dir = Files.isWritable(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        Path file = Files.createTempFile(dir, "morpheus-bench-scb", ".region");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_WRITE, 0, ScbLayout.REGION_SIZE);
            b.order(ByteOrder.nativeOrder());
            return b;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
