package dev.morpheus.benchmarks;

import dev.morpheus.abi.ScbLayout;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A region of SCBs mapped from a file on tmpfs ({@code /dev/shm}, else the temp dir) with
 * {@link FileChannel#map}: the same layout and the same {@code ScbAccess} loads as the kernel
 * region that morpheusd shares through an mmapped BPF array map, without needing the daemon.
 * The file is deleted right after mapping; the mapping lives until the buffer is collected.
 */
final class MappedScb {
    private MappedScb() {}

    static MappedByteBuffer map() throws IOException {
        Path dir = Path.of("/dev/shm");
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            dir = Path.of(System.getProperty("java.io.tmpdir"));
        }
        Path file = Files.createTempFile(dir, "morpheus-jmh-scb", ".region");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_WRITE, 0, ScbLayout.REGION_SIZE);
            buf.order(ByteOrder.nativeOrder());
            return buf;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
