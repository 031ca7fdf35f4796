package dev.morpheus.hint;

import dev.morpheus.abi.HintReason;
import dev.morpheus.abi.ScbAccess;
import java.util.ArrayList;
import java.util.List;

/**
 * In-process pressure: work waiting for a worker thread of this JVM. The kernel and procfs
 * sources see CPU run queues; they cannot see an actor's mailbox waiting in a pool's queue
 * behind threads that are busy but alone on their CPUs. This sampler can, so the runtime runs
 * it beside every source ({@code queue-hints = on}), and it is the whole of the {@code queue}
 * source.
 *
 * <p>A running worker gets a QUEUE_PRESSURE hint when its current run has lasted a slice while
 * work waits: the larger of the pending-work gauges (a dispatcher's executor queue) and the
 * number of running workers beyond the machine's CPUs. One hint per run: a worker that has not
 * answered gets no second one, and answering restarts its run. The hint is posted with an
 * atomic increment, so it composes with a kernel program posting into the same SCB.
 *
 * <p>Use from one thread: {@link #offer} every bound SCB, then {@link #post}. No allocation on
 * the steady path (one reused list).
 */
public final class QueuePressure {
    private final int cpus = Runtime.getRuntime().availableProcessors();
    private final List<ScbBinding> running = new ArrayList<>();

    /** Considers one worker's SCB for this round. */
    public void offer(ScbBinding binding, long nowNanos) {
        if (ScbAccess.runningNanos(binding.region(), binding.scb(), nowNanos) >= 0) {
            running.add(binding);
        }
    }

    /**
     * Ends the round: posts hints where due and forgets the offered SCBs.
     * @return the number of hints posted
     */
    public int post(long nowNanos, long pendingWork, long sliceNanos) {
        int posted = 0;
        long waiting = Math.max(pendingWork, running.size() - cpus);
        if (waiting > 0) {
            int pressure = (int) Math.min(100, 100 * waiting / Math.max(1, running.size()));
            for (ScbBinding b : running) {
                long ran = ScbAccess.runningNanos(b.region(), b.scb(), nowNanos);
                if (ran >= sliceNanos && !ScbAccess.hintPending(b.region(), b.scb())) {
                    ScbAccess.postHint(b.region(), b.scb(), HintReason.QUEUE_PRESSURE, pressure, nowNanos, sliceNanos - ran);
                    posted++;
                }
            }
        }
        running.clear();
        return posted;
    }
}
