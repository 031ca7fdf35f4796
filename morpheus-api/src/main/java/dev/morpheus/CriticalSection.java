package dev.morpheus;

/**
 * A critical-section scope for try-with-resources. While any scope of a worker is open, its
 * SCB's {@code critical_depth} is non-zero: an enforcing kernel will not force-preempt the
 * thread, and the worker's checkpoints report no pending hint, so the section is never cut.
 * A hint that arrives inside is answered at the first checkpoint after the outermost scope closes.
 *
 * <pre>
 *   try (CriticalSection cs = worker.critical()) {
 *       ... holds a lock, talks to native code ...
 *   }
 * </pre>
 * Scopes nest (a depth counter), must be closed on the thread that opened them, and allocate
 * nothing: each worker reuses one instance.
 *
 * <p>The scope knows only how to leave one level ({@code exit}), not the worker: the worker
 * depends on its scope, never the other way round.
 */
public final class CriticalSection implements AutoCloseable {
    /** Returned where there is no worker (the thread is not registered): closing it does nothing. */
    static final CriticalSection NONE = new CriticalSection(() -> {});

    /** Leaves one level of the owning worker's section. */
    private final Runnable exit;

    CriticalSection(Runnable exit) {
        this.exit = exit;
    }

    /** Leaves one level of the section. */
    @Override
    public void close() {
        exit.run();
    }
}
