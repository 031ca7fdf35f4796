package dev.morpheus.hint;

/**
 * The SPI every hint source implements: something that decides when a worker should yield and
 * says so through the worker's SCB (a BPF program into the kernel fields, an in-process
 * source with {@link ScbBinding#postLocalHint}).
 * The runtime never asks a source anything on the hot path: a checkpoint reads the SCB, whoever
 * wrote it (the kernel's BPF program, an in-process sampler, a test).
 *
 * <p>Lifecycle: created by a {@link HintSourceProvider}; {@link #bind} on worker registration
 * (any thread); {@link #tick} from the instance's housekeeping thread every sample interval;
 * {@link #unbind} when a worker ends; {@link #close} once, after every worker is unbound.
 * Implementations must be thread-safe between those callers.
 */
public interface HintSource extends AutoCloseable {

    /** Short name used in configuration and logs: kernel, procfs, queue, manual, none. */
    String name();

    /**
     * Gives a worker an SCB, claimed for it (owner tid, state REGISTERED).
     * @throws HintSourceException when no slot can be had (quota, daemon refused): the caller
     *         falls back to an unmanaged slot and says so
     */
    ScbBinding bind(int tid, String workerName, boolean escapable) throws HintSourceException;

    /** Returns a worker's SCB; the slot may be reused at once. */
    void unbind(ScbBinding binding);

    /** Called periodically; samplers look at their workers and post hints here. */
    default void tick(long nowNanos) {}

    /** Whether hints can currently be trusted to arrive. LOST sends the runtime to DEFENSIVE mode. */
    default Health health() {
        return Health.healthy();
    }

    /**
     * Whether this source already hints workers when work waits for a thread in this JVM. When
     * it does not (kernel, procfs), the runtime adds in-process queue pressure beside it unless
     * {@code queue-hints = off}; {@code manual} and {@code none} return true to keep theirs pure.
     */
    default boolean observesQueuePressure() {
        return false;
    }

    /**
     * Hints this source posted so far (monotonic), for the runtime-mode decision and metrics.
     * Only the source's own: hints the runtime posts into the source's SCBs (queue pressure,
     * defensive) the runtime counts itself, and tells the source of with
     * {@link #hintPostedByRuntime}, so that every hint is counted once.
     */
    long hintsPosted();

    /**
     * The runtime has just posted a hint of its own (queue pressure beside this source, or a
     * defensive hint while it is lost) into {@code binding}, and counted it. Runtime hints move
     * only the SCB's {@code local_hint_seq} (ABI 2), so a source that counts by watching
     * {@code kernel_hint_seq} (the kernel source) never sees them, and a source that counts what
     * it posts itself has nothing to do either: a hook for sources that count otherwise. Called
     * on the housekeeping thread, the one that calls
     * {@link #tick}; {@code binding} may be one this source does not know (a fallback slot).
     */
    default void hintPostedByRuntime(ScbBinding binding) {}

    /** Frees every resource; bindings become invalid. */
    @Override
    void close();
}
