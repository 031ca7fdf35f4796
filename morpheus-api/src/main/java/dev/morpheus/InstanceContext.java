package dev.morpheus;

import dev.morpheus.hint.HintSourceContext;
import dev.morpheus.hint.HintSourceSettings;
import dev.morpheus.hint.ScbBinding;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * What a hint source may ask of the instance that owns it ({@link HintSourceContext}): its
 * settings, the work waiting for a worker thread (the sum of the pending-work gauges a
 * dispatcher registers) and moving a worker to a new SCB. The gauges live here because both the
 * source and the housekeeping tick read them.
 */
final class InstanceContext implements HintSourceContext {
    private final HintSourceSettings settings;
    private final WorkerRegistry workers;
    private final List<LongSupplier> pendingWorkGauges = new CopyOnWriteArrayList<>();

    InstanceContext(MorpheusConfig config, WorkerRegistry workers) {
        this.settings = config.hintSourceSettings();
        this.workers = workers;
    }

    void addPendingWorkGauge(LongSupplier gauge) {
        pendingWorkGauges.add(gauge);
    }

    void removePendingWorkGauge(LongSupplier gauge) {
        pendingWorkGauges.remove(gauge);
    }

    @Override
    public HintSourceSettings settings() {
        return settings;
    }

    @Override
    public long pendingWork() {
        long sum = 0;
        for (LongSupplier g : pendingWorkGauges) {
            sum += Math.max(0, g.getAsLong());
        }
        return sum;
    }

    @Override
    public void rebind(ScbBinding old, ScbBinding fresh) {
        workers.rebind(old, fresh);
    }
}
