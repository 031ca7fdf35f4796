package dev.morpheus.hint;

import dev.morpheus.abi.HintReason;
import dev.morpheus.abi.ScbAccess;
import dev.morpheus.abi.WorkerState;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code hint-source = manual}: hints are posted by code (tests, operators' tools), never by a
 * sampler. It can also pretend to be lost, to drive the runtime into DEFENSIVE mode.
 */
public final class ManualHintSource extends LocalHintSource {
    private volatile Health health = Health.healthy();

    public ManualHintSource(HintSourceContext context) {
        super(context);
    }

    @Override
    public String name() {
        return "manual";
    }

    /** Posts a hint to every bound worker; returns how many got one. */
    public int postAll() {
        return postWhere(b -> true);
    }

    /** Posts a hint to the worker with kernel thread id {@code tid}; returns how many got one. */
    public int postToTid(int tid) {
        return postWhere(b -> b.tid() == tid);
    }

    /** Posts a hint to every worker currently RUNNING (inside a batch). */
    public int postToRunning() {
        return postWhere(b -> ScbAccess.workerState(b.region(), b.scb()) == WorkerState.RUNNING);
    }

    private int postWhere(java.util.function.Predicate<ScbBinding> which) {
        List<ScbBinding> targets = new ArrayList<>();
        pool.forEach(b -> {
            if (which.test(b)) {
                targets.add(b);
            }
        });
        long now = System.nanoTime();
        for (ScbBinding b : targets) {
            post(b, HintReason.MANUAL, 100, now);
        }
        return targets.size();
    }

    /** Marks the source lost (with a reason) or healthy again. */
    public void setHealth(Health health) {
        this.health = health;
    }

    @Override
    public Health health() {
        return health;
    }

    /** Hints come only from where this source says; no in-process sampler is added beside it. */
    @Override
    public boolean observesQueuePressure() {
        return true;
    }
}
