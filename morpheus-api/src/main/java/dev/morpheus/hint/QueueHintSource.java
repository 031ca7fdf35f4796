package dev.morpheus.hint;

import dev.morpheus.abi.HintReason;
import dev.morpheus.abi.ScbAccess;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code hint-source = queue}: portable, in-process pressure, no privileges, any OS.
 *
 * <p>A worker gets a hint when it has run longer than its slice (measured from the start of its
 * current run, {@code run_start_ns} in its SCB) while other work waits for a thread. "Waiting"
 * is the larger of two signals: the work queued in front of the pool (the gauges registered with
 * the Morpheus instance, such as a dispatcher's executor queue) and the number of running
 * workers beyond the machine's CPUs (threads that the kernel must be making wait).
 *
 * <p>One hint per run: a worker that has not answered its hint gets no second one, and
 * answering resets its run start. Cost per tick: one pass over the bound workers, no allocation
 * beyond a reused list, no system calls.
 */
public final class QueueHintSource extends LocalHintSource {
    private final int cpus = Runtime.getRuntime().availableProcessors();
    private final List<ScbBinding> running = new ArrayList<>();

    public QueueHintSource(HintSourceContext context) {
        super(context);
    }

    @Override
    public String name() {
        return "queue";
    }

    @Override
    public void tick(long nowNanos) {
        running.clear();
        pool.forEach(b -> {
            if (ScbAccess.runningNanos(b.region(), b.scb(), nowNanos) >= 0) {
                running.add(b);
            }
        });
        long waiting = Math.max(context.pendingWork(), running.size() - cpus);
        if (waiting <= 0) {
            return;
        }
        long slice = context.config().sliceNanos();
        int pressure = (int) Math.min(100, 100 * waiting / Math.max(1, running.size()));
        for (ScbBinding b : running) {
            long ran = ScbAccess.runningNanos(b.region(), b.scb(), nowNanos);
            if (ran >= slice && !ScbAccess.hintPending(b.region(), b.scb())) {
                post(b, HintReason.QUEUE_PRESSURE, pressure, nowNanos, slice - ran);
            }
        }
    }
}
