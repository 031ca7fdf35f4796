package dev.morpheus.hint;

/**
 * {@code hint-source = queue}: portable, in-process pressure only, no privileges, any OS.
 * A worker gets a hint when it has run longer than its slice while other work waits for a
 * thread (see {@link QueuePressure}: the pending-work gauges registered with the instance, or
 * more running workers than CPUs). Cost per tick: one pass over the bound workers, no system
 * calls, no allocation.
 */
public final class QueueHintSource extends LocalHintSource {
    private final QueuePressure pressure = new QueuePressure();

    public QueueHintSource(HintSourceContext context) {
        super(context);
    }

    @Override
    public String name() {
        return "queue";
    }

    /** This source already samples queue pressure: the runtime need not add it. */
    @Override
    public boolean observesQueuePressure() {
        return true;
    }

    @Override
    public void tick(long nowNanos) {
        pool.forEach(b -> pressure.offer(b, nowNanos));
        countPosted(pressure.post(nowNanos, context.pendingWork(), context.settings().sliceNanos(),
                context.settings().sampleIntervalNanos()));
    }
}
