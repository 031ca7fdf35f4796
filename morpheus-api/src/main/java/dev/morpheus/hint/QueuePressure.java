package dev.morpheus.hint;

import dev.morpheus.abi.HintReason;
import dev.morpheus.abi.ScbAccess;
import dev.morpheus.abi.ScbLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * In-process pressure: work waiting for a worker thread of this JVM. The kernel and procfs
 * sources see CPU run queues; they cannot see an actor's mailbox waiting in a pool's queue
 * behind threads that are busy but alone on their CPUs. This sampler can, so the runtime runs
 * it beside every source ({@code queue-hints = on}), and it is the whole of the {@code queue}
 * source.
 *
 * <p>A running worker gets a QUEUE_PRESSURE hint when its current run has lasted its turn while
 * work waits: the larger of the pending-work gauges (a dispatcher's executor queue) and the
 * number of running workers beyond the machine's CPUs. One hint per run: a worker that has not
 * answered gets no second one, and answering restarts its run. The hint is the JVM's own
 * ({@link ScbBinding#postLocalHint}: its half of the hint word), so it composes with a kernel
 * program posting into the same SCB without writing any field of the kernel's.
 *
 * <p><b>Adaptive turns.</b> Work that waits behind {@code W} queued items on {@code R} running
 * workers needs about {@code W / R} turns before it runs, so a fixed turn would make its wait
 * grow with the queue. Like a kernel scheduler's target latency, the turn shrinks instead:
 * {@code turn = slice * R / W - lag} when {@code W > R} (the lag: one sample interval, how late a
 * hint lands), never below {@code slice / 8} (nor 100 us), so waiting work gets a thread within
 * about one slice however deep the queue, and an unpressured worker still runs a whole slice.
 *
 * <p>Use from one thread: {@link #offer} every bound SCB (or {@link #offerRunning} the running
 * ones), then {@link #post}. No allocation on
 * the steady path (one reused list). Each hint posted is also told to a listener (beside the
 * kernel source: {@link HintSource#hintPostedByRuntime}, so that it is counted once).
 */
public final class QueuePressure {
    private final int cpus = Runtime.getRuntime().availableProcessors();
    private final List<ScbBinding> running = new ArrayList<>();
    private final Consumer<ScbBinding> onPosted;

    /** Pressure whose hints only {@link #post}'s return value counts. */
    public QueuePressure() {
        this(binding -> {});
    }

    /** @param onPosted told of every hint posted, on the posting thread, right after it is posted */
    public QueuePressure(Consumer<ScbBinding> onPosted) {
        this.onPosted = onPosted;
    }

    /**
     * How long a worker may run while {@code waiting} items wait on {@code runners} workers (see
     * the class comment). A hint lands up to one sample interval ({@code lagNanos}) after the
     * turn ends, and each of the waiter's turns pays that lag, so a shortened turn gives it back.
     */
    static long turnNanos(long sliceNanos, int runners, long waiting, long lagNanos) {
        long floor = Math.max(sliceNanos / 8, ScbLayout.SLICE_MIN_NS);
        if (waiting <= runners) {
            return sliceNanos;
        }
        return Math.max(floor, sliceNanos * runners / waiting - lagNanos);
    }

    /** Considers one worker's SCB for this round. */
    public void offer(ScbBinding binding, long nowNanos) {
        if (binding.runningNanos(nowNanos) >= 0) {
            offerRunning(binding);
        }
    }

    /** Adds an SCB the caller has just seen in a run ({@code runningNanos >= 0}) to this round. */
    public void offerRunning(ScbBinding binding) {
        running.add(binding);
    }

    /**
     * Ends the round: posts hints where due and forgets the offered SCBs.
     * @param lagNanos how late a hint may land after it is due (the sample interval)
     * @return the number of hints posted
     */
    public int post(long nowNanos, long pendingWork, long sliceNanos, long lagNanos) {
        int posted = 0;
        long waiting = Math.max(pendingWork, running.size() - cpus);
        if (waiting > 0) {
            int runners = Math.max(1, running.size());
            int pressure = (int) Math.min(100, 100 * waiting / runners);
            long turn = turnNanos(sliceNanos, runners, waiting, lagNanos);
            for (ScbBinding b : running) {
                long ran = b.runningNanos(nowNanos);
                if (ran >= turn && !ScbAccess.hintPending(b.region(), b.scb())) {
                    b.postLocalHint(HintReason.QUEUE_PRESSURE, pressure, nowNanos);
                    onPosted.accept(b);
                    posted++;
                }
            }
        }
        running.clear();
        return posted;
    }
}
