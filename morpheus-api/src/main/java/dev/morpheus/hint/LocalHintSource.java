package dev.morpheus.hint;

import dev.morpheus.abi.HintReason;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Base of the in-process hint sources: SCBs come from a {@link LocalScbPool} (the JVM is the
 * region's OWNER) and hints are the JVM's own (LOCAL: {@link ScbBinding#postLocalHint}); the
 * kernel fields of these regions are never written by anyone.
 */
public abstract class LocalHintSource implements HintSource {
    protected final HintSourceContext context;
    protected final LocalScbPool pool;
    private final AtomicLong posted = new AtomicLong();

    protected LocalHintSource(HintSourceContext context) {
        this.context = context;
        this.pool = new LocalScbPool(context.settings().maxWorkers(), context.settings().sliceNanos(),
                context.settings().graceNanos());
    }

    @Override
    public ScbBinding bind(int tid, String workerName, boolean escapable) throws HintSourceException {
        return pool.claim(tid, escapable, true);
    }

    @Override
    public void unbind(ScbBinding binding) {
        pool.release(binding);
    }

    /** Posts a hint into one SCB (the JVM's half of its hint word) and counts it. */
    protected final void post(ScbBinding binding, HintReason reason, int pressure, long nowNanos) {
        binding.postLocalHint(reason, pressure, nowNanos);
        posted.incrementAndGet();
    }

    /** SCB slots currently claimed from this source's pool. */
    public int slotsInUse() {
        return pool.inUse();
    }

    /** Counts hints posted without {@link #post} (for example by a {@link QueuePressure}). */
    protected final void countPosted(int hints) {
        if (hints > 0) {
            posted.addAndGet(hints);
        }
    }

    @Override
    public long hintsPosted() {
        return posted.get();
    }

    @Override
    public void close() {}
}
