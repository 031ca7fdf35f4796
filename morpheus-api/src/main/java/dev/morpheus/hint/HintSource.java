package dev.morpheus.hint;

/**
 * The SPI every hint source implements: something that decides when a worker should yield and
 * says so by posting into the worker's SCB ({@link dev.morpheus.abi.ScbAccess#postHint}).
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

    /** Hints posted so far (monotonic), for the runtime-mode decision and metrics. */
    long hintsPosted();

    /** Frees every resource; bindings become invalid. */
    @Override
    void close();
}
