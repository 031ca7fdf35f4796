package dev.morpheus.benchmarks;

import dev.morpheus.CriticalSection;
import dev.morpheus.Morpheus;
import dev.morpheus.MorpheusConfig;
import dev.morpheus.MorpheusWorker;
import dev.morpheus.abi.ScbAccess;
import dev.morpheus.abi.ScbLayout;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a checkpoint with no hint pending costs, against an empty baseline in the same run.
 *
 * <ul>
 *   <li>{@code baseline}: returns a plain boolean field (same return-value handling as the
 *       checkpoints, so the difference is the checkpoint itself);</li>
 *   <li>{@code checkpointInProcessScb}: the real {@link MorpheusWorker#checkpoint()} on an SCB in
 *       in-process direct memory (hint sources queue/procfs/manual/none);</li>
 *   <li>{@code checkpointMappedScb}: the checkpoint's load and compare ({@code ScbAccess.hotHintWord}
 *       through the SCB's hot handle, xor, compare, as {@link MorpheusWorker} does) on a tmpfs file mapped with
 *       {@code FileChannel.map}, standing in for the kernel's mmapped BPF map region. The hot
 *       handle is the implementation's: a raw address through {@code sun.misc.Unsafe} on JDK 17-21,
 *       a {@code MemorySegment} and offset through FFM on JDK 22+ (the jar's META-INF/versions/22;
 *       {@code ScbAccess.implementation()} is printed at setup);</li>
 *   <li>{@code compareAbi1} / {@code compareAbi2}: the two checkpoint compares side by side in one
 *       fork, on the same mapped word: ABI 1's {@code hint_seq > threshold} and ABI 2's
 *       {@code (hint_word ^ answered ^ MIN) > quiet} (one load each; ABI 2 keeps the kernel's and
 *       the JVM's sequences in the two halves of the word), so a loaded machine shifts both alike;</li>
 *   <li>{@code checkpointMappedScbVarHandle}: the same load through the slow-path accessor
 *       ({@code ScbAccess.hintWordAcquire(buffer, scb)}: the ByteBuffer VarHandle on JDK 17-21, a
 *       segment made per call on JDK 22+), what the hot handle saves;</li>
 *   <li>{@code plainLoadMappedScb}: a plain {@code ByteBuffer.getLong} from the mapped SCB, for
 *       reference: what the access costs without acquire ordering;</li>
 *   <li>{@code checkpointThreadLocal}: {@link Morpheus#currentWorker()} (a thread-local lookup)
 *       then the checkpoint: what callers pay when they do not keep their worker handle;</li>
 *   <li>{@code nativeCallPerCheckpoint}: one JNA direct-mapped call into libc: the cost of a
 *       checkpoint implemented as a native call rather than a shared-memory load.</li>
 * </ul>
 * Run with {@code -prof gc}: every checkpoint variant must show 0 B/op. The goal is a
 * checkpoint within 0.5 ns of the baseline.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CheckpointBenchmark {
    private Morpheus morpheus;
    private MorpheusWorker worker;
    private MappedByteBuffer mapped;
    private int mappedScb;
    private long mappedThreshold;
    private long mappedKey; // the word answered, xor Long.MIN_VALUE, as MorpheusWorker keeps it
    private long mappedQuiet = Long.MIN_VALUE;
    private Object mappedHotBase; // the mapped SCB's hot handle (ScbAccess.hotBase / hotOffset)
    private long mappedHotOffset;
    private boolean plainFalse;
    private int nativeArg = -7;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        // JMH runs Thread-scoped setup on the benchmark thread itself, so this registers it.
        morpheus = Morpheus.open("jmh", MorpheusConfig.builder().hintSource("none").build());
        worker = morpheus.registerCurrentThread("jmh-worker");
        mapped = MappedScb.map();
        mappedScb = ScbLayout.scbOffset(0);
        mappedThreshold = ScbAccess.hintWordAcquire(mapped, mappedScb);
        mappedKey = mappedThreshold ^ Long.MIN_VALUE;
        mappedHotBase = ScbAccess.hotBase(mapped, mappedScb);
        mappedHotOffset = ScbAccess.hotOffset(mapped, mappedScb);
        System.out.println("ScbAccess implementation: " + ScbAccess.implementation() + " (JDK " + Runtime.version() + ")");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        worker.close();
        morpheus.close();
    }

    @Benchmark
    public boolean baseline() {
        return plainFalse;
    }

    @Benchmark
    public boolean checkpointInProcessScb() {
        return worker.checkpoint();
    }

    @Benchmark
    public boolean checkpointMappedScb() {
        return (ScbAccess.hotHintWord(mappedHotBase, mappedHotOffset) ^ mappedKey) > mappedQuiet;
    }

    /** ABI 1's compare (one field): the sequence against the last answered, MAX inside critical sections. */
    @Benchmark
    public boolean compareAbi1() {
        return ScbAccess.hotHintWord(mappedHotBase, mappedHotOffset) > mappedThreshold;
    }

    /** ABI 2's compare, as {@link MorpheusWorker#checkpoint()} does it. */
    @Benchmark
    public boolean compareAbi2() {
        return (ScbAccess.hotHintWord(mappedHotBase, mappedHotOffset) ^ mappedKey) > mappedQuiet;
    }

    @Benchmark
    public boolean checkpointMappedScbVarHandle() {
        return (ScbAccess.hintWordAcquire(mapped, mappedScb) ^ mappedKey) > mappedQuiet;
    }

    /** A plain (not acquire) bounds-checked load from the mapped SCB: separates the ordering cost from the ByteBuffer access cost. */
    @Benchmark
    public boolean plainLoadMappedScb() {
        return mapped.getLong(mappedScb) > mappedThreshold;
    }

    @Benchmark
    public boolean checkpointThreadLocal() {
        MorpheusWorker w = Morpheus.currentWorker();
        return w != null && w.checkpoint();
    }

    /**
     * A critical section entered and left around one checkpoint (what a critical actor's batch
     * costs once, and {@code Morpheus.critical()} scopes each time): the SCB stores of entry and
     * exit on the worker's own SCB. Must show 0 B/op on every JDK.
     */
    @Benchmark
    public boolean criticalSection() {
        try (CriticalSection section = worker.critical()) {
            return worker.checkpoint();
        }
    }

    @Benchmark
    public int nativeCallPerCheckpoint() {
        return LibcDirect.abs(nativeArg);
    }
}
