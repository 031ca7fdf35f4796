package dev.morpheus.hint;

import dev.morpheus.abi.HintReason;
import dev.morpheus.abi.ScbAccess;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Base of the in-process hint sources: SCBs come from a {@link LocalScbPool} and hints are
 * posted by Java code into the same layout the kernel would write.
 */
public abstract class LocalHintSource implements HintSource {
    protected final HintSourceContext context;
    protected final LocalScbPool pool;
    private final AtomicLong posted = new AtomicLong();

    protected LocalHintSource(HintSourceContext context) {
        this.context = context;
        this.pool = new LocalScbPool(context.config().maxWorkers(), context.config().sliceNanos(),
                context.config().graceNanos());
    }

    @Override
    public ScbBinding bind(int tid, String workerName, boolean escapable) throws HintSourceException {
        return pool.claim(tid, escapable, true);
    }

    @Override
    public void unbind(ScbBinding binding) {
        pool.release(binding);
    }

    /** Posts a hint into one SCB and counts it. */
    protected final void post(ScbBinding binding, HintReason reason, int pressure, long nowNanos, long budgetNanos) {
        ScbAccess.postHint(binding.region(), binding.scb(), reason, pressure, nowNanos, budgetNanos);
        posted.incrementAndGet();
    }

    /** SCB slots currently claimed from this source's pool. */
    public int slotsInUse() {
        return pool.inUse();
    }

    @Override
    public long hintsPosted() {
        return posted.get();
    }

    @Override
    public void close() {}
}
