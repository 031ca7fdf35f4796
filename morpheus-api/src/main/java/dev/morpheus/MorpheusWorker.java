package dev.morpheus;

import dev.morpheus.abi.HintWords;
import dev.morpheus.abi.HintReason;
import dev.morpheus.abi.ScbAccess;
import dev.morpheus.abi.WorkerState;
import dev.morpheus.abi.YieldCause;
import dev.morpheus.hint.LocalHint;
import dev.morpheus.hint.ScbBinding;
import dev.morpheus.jfr.MorpheusEvents;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A thread registered with Morpheus: the handle through which it reads hints, yields, and
 * marks critical sections. Obtain one with {@link Morpheus#registerCurrentThread(String)}; all
 * methods except {@link #close()} and {@link #metrics()} must be called on the registered thread.
 *
 * <p><b>The hot path.</b> {@link #checkpoint()} is one acquire load of the SCB's 64-bit hint
 * word, an xor and one compare with fields of this object: no allocation, no thread-local
 * lookup, no call into native code, whichever hint source is active. The hint word holds two
 * 32-bit sequences, each with one writer (the kernel's and the JVM posters'; ABI 2's writer
 * table), so "a hint is pending" is "the word differs from the one last answered" - of either
 * half, wrapping or not. The checkpoint computes {@code (word ^ answered ^ MIN) > quiet}: with
 * {@code quiet = Long.MIN_VALUE} that is exactly {@code word != answered} (the xor is
 * {@code MIN} only when they are equal, and every other long is greater), and inside a critical
 * section {@code quiet = Long.MAX_VALUE}, which nothing exceeds, so the same single compare
 * also keeps critical sections uncut.
 *
 * <p><b>Answering.</b> When a checkpoint says yes, {@link #acknowledgeHint()} stores the
 * answered hint word into the SCB's ack word (the kernel sees the worker complied),
 * records the cause in the yield ledger and returns it; the caller then gives up its thread at a
 * safe point ({@link #checkpointAndYield()} does both).
 *
 * <p><b>Moving.</b> When the hint source hands out a new SCB (the daemon restarted), it posts a
 * REBIND hint into the old one; the worker adopts the new binding at its next checkpoint, on its
 * own thread, so the hot-path fields never change under it.
 *
 * <p><b>Dependencies.</b> A worker knows its SCB (through {@link ScbAccess} and its
 * {@link ScbBinding}) and nothing of the instance that registered it: the instance hands it a
 * name and two callbacks (a run started; the worker closed). So the facade depends on the
 * worker and the worker on SCB access, never back.
 */
public final class MorpheusWorker implements AutoCloseable {
    // Hot path: read by every checkpoint. Written only by the owning thread.
    private ByteBuffer region;
    private int scb;
    /** The SCB's hot handle (ScbAccess.hotBase/hotOffset): its meaning is ScbAccess's, per JDK. */
    private Object hotBase;
    private long hotOffset;
    /** The hint word last answered, xor Long.MIN_VALUE (see the class comment). */
    private long answeredKey;
    /** Long.MIN_VALUE outside critical sections, Long.MAX_VALUE inside. */
    private long quiet = Long.MIN_VALUE;

    // Owner-thread state.
    /** The hint word last answered (both sequences). */
    private long seenWord;
    /** Runs begun on this thread: the SCB's run_seq (the samplers' clock is theirs, RunClock). */
    private long runSeq;
    private long seenEscalations;
    private HintReason answeredReason = HintReason.NONE;
    private int criticalDepth;
    /** System.nanoTime() when the outermost critical section opened, 0 outside. */
    private long criticalSince;
    private WorkerState state = WorkerState.INIT;

    // Counters: written by the owner, read racily by metrics().
    /** The yield causes, once: {@code values()} copies its array on every call. */
    private static final YieldCause[] CAUSES = YieldCause.values();

    private final long[] yields = new long[CAUSES.length];
    private long hintsAnswered;
    private long answerDelayNanosTotal;
    private long answerDelayNanosMax;

    private volatile ScbBinding binding;
    private volatile ScbBinding pendingBinding;
    private volatile boolean closed;

    private final String instanceName;
    /** Told of every run that starts (on this thread): wakes a dozing housekeeper. */
    private final Runnable onRunStart;
    /** Told once, when the worker closes (any thread): the instance unregisters it. */
    private final Consumer<MorpheusWorker> onClose;
    private final Thread thread;
    private final String name;
    private final int tid;
    private final CriticalSection scope = new CriticalSection(this::exitCritical);

    MorpheusWorker(String instanceName, Runnable onRunStart, Consumer<MorpheusWorker> onClose, Thread thread, String name,
            int tid, ScbBinding binding) {
        this.instanceName = instanceName;
        this.onRunStart = onRunStart;
        this.onClose = onClose;
        this.thread = thread;
        this.name = name;
        this.tid = tid;
        adopt(binding);
        transition(WorkerState.REGISTERED);
        transition(WorkerState.RUNNING);
    }

    // ------------------------------------------------------------------ hot path

    /**
     * Whether the worker should yield now: a hint is pending and the worker is outside any
     * critical section. One acquire load, an xor and one compare.
     */
    public boolean checkpoint() {
        return (ScbAccess.hotHintWord(hotBase, hotOffset) ^ answeredKey) > quiet;
    }

    /**
     * Checkpoint, and if a yield is due, answer the hint and yield the thread
     * ({@link Thread#yield()}). For loops that own their thread; a dispatcher instead ends its
     * batch and lets the pool run other work.
     * @return whether the thread yielded
     */
    public boolean checkpointAndYield() {
        if (!checkpoint()) {
            return false;
        }
        if (acknowledgeHint() == null) {
            return false;
        }
        Thread.yield();
        return true;
    }

    // ------------------------------------------------------------------ slow path

    /**
     * Answers every hint posted so far: stores the hint word into the ack word, records the
     * cause in the ledger and restarts the run clock. Call after {@link #checkpoint()} returned
     * true, then give up the thread at the next safe point.
     * @return the cause recorded (HINT, DEFENSIVE or ESCALATION_RECOVERY), or {@code null} when
     *         there was nothing to answer (for example only a REBIND, handled here)
     */
    public YieldCause acknowledgeHint() {
        ScbBinding next = pendingBinding;
        if (next != null) {
            pendingBinding = null;
            adopt(next);
            return null;
        }
        Object base = hotBase; // the worker's own SCB through its hot handle: no allocation on any JDK
        long at = hotOffset;
        long word = ScbAccess.hotHintWord(base, at);
        if (word == seenWord) {
            return null;
        }
        // The kernel's hint, when its half moved, is described by the SCB's kernel fields; the
        // JVM's own by the binding's record (LocalHint): each poster's fields are its own.
        boolean kernelHint = HintWords.kernelSeq(word) != HintWords.kernelSeq(seenWord);
        LocalHint local = binding.localHint();
        HintReason reason = kernelHint ? ScbAccess.hotHintReason(base, at) : local.reason();
        int pressure = kernelHint ? ScbAccess.hotPressure(base, at) : local.pressure();
        long postedAt = kernelHint ? ScbAccess.hotHintTimeNanos(base, at) : local.timeNanos();
        long escalations = ScbAccess.hotEscalationCount(base, at);
        YieldCause cause = escalations != seenEscalations ? YieldCause.ESCALATION_RECOVERY
                : reason == HintReason.DEFENSIVE ? YieldCause.DEFENSIVE : YieldCause.HINT;
        seenEscalations = escalations;
        seenWord = word;
        answeredReason = reason;
        answeredKey = word ^ Long.MIN_VALUE; // inside a critical section quiet still says no
        ScbAccess.hotAck(base, at, word);
        long delay = Math.max(0, System.nanoTime() - postedAt);
        hintsAnswered++;
        answerDelayNanosTotal += delay;
        answerDelayNanosMax = Math.max(answerDelayNanosMax, delay);
        MorpheusEvents.hintAnswered(name, reason, pressure, delay);
        record(cause, true);
        return cause;
    }

    /** The reason of the last hint {@link #acknowledgeHint()} answered ({@code NONE} before the first). */
    public HintReason answeredReason() {
        return answeredReason;
    }

    /**
     * Records a yield that did not answer a hint (VOLUNTARY, BUDGET, DEADLINE) in the ledger.
     * The caller gives up the thread itself.
     */
    public void recordYield(YieldCause cause) {
        record(cause, false);
    }

    /** Records a voluntary yield and yields the thread. */
    public void yieldNow() {
        record(YieldCause.VOLUNTARY, false);
        Thread.yield();
    }

    private void record(YieldCause cause, boolean answeredHint) {
        yields[cause.ordinal()]++;
        ScbAccess.hotRecordYield(hotBase, hotOffset, cause, answeredHint);
        if (state == WorkerState.RUNNING) {
            ScbAccess.hotBeginRun(hotBase, hotOffset, ++runSeq); // a yield ends the run: the slice starts again
        }
        MorpheusEvents.yielded(name, cause);
    }

    // ------------------------------------------------------------------ runs and state

    /**
     * The worker starts a run of work (a dispatcher: a mailbox batch). Two plain stores into
     * the SCB; the hint source measures the run from here.
     */
    public void markRunning() {
        if (state != WorkerState.QUIESCING && state != WorkerState.RUNNING) {
            transition(WorkerState.RUNNING); // from REGISTERED; throws from DEAD
        }
        state = WorkerState.RUNNING;
        ScbAccess.hotBeginRun(hotBase, hotOffset, ++runSeq); // publishes RUNNING with the new run: one state store
        onRunStart.run();
    }

    /** The worker finished a run and is between runs (parking, or about to take other work). */
    public void markQuiescing() {
        if (state == WorkerState.RUNNING) {
            state = WorkerState.QUIESCING; // RUNNING -> QUIESCING is always allowed
            ScbAccess.hotWorkerState(hotBase, hotOffset, WorkerState.QUIESCING);
        }
    }

    private void transition(WorkerState to) {
        if (!state.canMoveTo(to)) {
            throw new IllegalStateException("worker '" + name + "' (tid " + tid + "): illegal transition " + state + " -> "
                    + to + "; allowed from " + state + ": " + state.successors());
        }
        state = to;
        ScbAccess.hotWorkerState(hotBase, hotOffset, to);
    }

    /** The worker's lifecycle state as the owning thread last set it. */
    public WorkerState state() {
        return closed ? WorkerState.DEAD : state;
    }

    // ------------------------------------------------------------------ critical sections

    /**
     * Enters a critical section and returns its scope for try-with-resources. Reentrant; no
     * allocation. Inside, checkpoints say no and an enforcing kernel will not preempt the thread
     * (up to the daemon's max-critical bound).
     */
    public CriticalSection critical() {
        if (++criticalDepth == 1) {
            quiet = Long.MAX_VALUE;
            criticalSince = System.nanoTime();
            ScbAccess.hotSetCritical(hotBase, hotOffset, 1, criticalSince);
        } else {
            ScbAccess.hotSetCritical(hotBase, hotOffset, criticalDepth, 0);
        }
        return scope;
    }

    void exitCritical() {
        if (criticalDepth == 0) {
            throw new IllegalStateException("worker '" + name + "': critical section closed more often than opened");
        }
        if (--criticalDepth == 0) {
            quiet = Long.MIN_VALUE;
            criticalSince = 0;
        }
        ScbAccess.hotSetCritical(hotBase, hotOffset, criticalDepth, 0);
    }

    /**
     * When the outermost critical section opened ({@link System#nanoTime()}; the SCB's
     * {@code critical_entry_ns}, from which the kernel measures max-critical), 0 outside one.
     */
    public long criticalSinceNanos() {
        return criticalSince;
    }

    /**
     * Whether a hint arrived that this worker has not answered, inside a critical section too
     * (where {@link #checkpoint()} says no). One acquire load; for a caller that bounds its
     * critical sections (a critical actor's batch, by max-critical).
     */
    public boolean hintWaiting() {
        return ScbAccess.hotHintWord(hotBase, hotOffset) != seenWord;
    }

    /** Current nesting depth of critical sections. */
    public int criticalDepth() {
        return criticalDepth;
    }

    // ------------------------------------------------------------------ identity, binding, lifecycle

    public String name() {
        return name;
    }

    /** Kernel thread id, 0 where the platform has none. */
    public int tid() {
        return tid;
    }

    public Thread thread() {
        return thread;
    }

    /** The name of the {@link Morpheus} instance this worker is registered with. */
    public String instanceName() {
        return instanceName;
    }

    /** Whether a hint source serves this worker (false: it runs on a fallback slot without hints). */
    public boolean managed() {
        return binding.managed();
    }

    ScbBinding binding() {
        return binding;
    }

    /** Called by any thread: the worker moves to {@code fresh} at its next checkpoint. */
    void requestRebind(ScbBinding fresh) {
        ScbBinding old = binding;
        pendingBinding = fresh;
        old.postLocalHint(HintReason.REBIND, 0, System.nanoTime());
    }

    private void adopt(ScbBinding b) {
        int depth = criticalDepth;
        region = b.region();
        scb = b.scb();
        hotBase = ScbAccess.hotBase(region, scb);
        hotOffset = ScbAccess.hotOffset(region, scb);
        binding = b;
        seenWord = ScbAccess.hintWordAcquire(region, scb);
        seenEscalations = ScbAccess.escalationCount(region, scb);
        ScbAccess.ack(region, scb, seenWord);
        answeredKey = seenWord ^ Long.MIN_VALUE;
        quiet = depth > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        if (depth > 0) {
            ScbAccess.setCritical(region, scb, depth, criticalSince); // the section goes on: same entry
        }
        if (state != WorkerState.INIT) {
            ScbAccess.setWorkerState(region, scb, state);
        }
    }

    /** A snapshot of this worker's counters (racy but never torn on 64-bit JVMs). */
    public WorkerMetrics metrics() {
        Map<YieldCause, Long> byCause = new EnumMap<>(YieldCause.class);
        for (YieldCause c : CAUSES) {
            byCause.put(c, yields[c.ordinal()]);
        }
        ScbBinding b = binding;
        long answered = hintsAnswered;
        return new WorkerMetrics(name, tid, state(), b.managed(), byCause, answered,
                answered == 0 ? 0 : answerDelayNanosTotal / answered, answerDelayNanosMax,
                ScbAccess.hintLossCount(b.region(), b.scb()) + b.localHint().coalesced(),
                ScbAccess.escalationCount(b.region(), b.scb()));
    }

    /**
     * Unregisters the worker: state DEAD, SCB returned to its source. Idempotent; may be called
     * from any thread (the housekeeper calls it for threads that died registered).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        onClose.accept(this);
    }

    /** Hints answered so far (racy read, for the housekeeper's mode decision). */
    long hintsAnswered() {
        return hintsAnswered;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "MorpheusWorker[" + name + ", tid " + tid + ", " + state() + "]";
    }
}
