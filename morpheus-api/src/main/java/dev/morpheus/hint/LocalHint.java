package dev.morpheus.hint;

import dev.morpheus.abi.HintReason;
import dev.morpheus.abi.ScbAccess;
import java.nio.ByteBuffer;

/**
 * The hints the JVM posts itself into one SCB (queue pressure, procfs, manual, defensive,
 * rebind): the LOCAL party of the ABI's writer table. Its only write into shared memory is
 * {@code local_hint_seq += 1} ({@link ScbAccess#incrementLocalHintSeq}), the half of the hint
 * word that is its own; the hint's reason, pressure and time stay here, in the JVM, because
 * only the worker reads them (the kernel fields of the SCB are the kernel's alone).
 *
 * <p>Posters on any thread and the worker's answer meet under this object's monitor: a post
 * writes the record, then increments the sequence, inside the lock, so a worker that sees the
 * new sequence and then takes the lock reads the record of that post (or of a later one).
 */
public final class LocalHint {
    /** The SCB this state belongs to: its region and byte offset (see {@link ScbBinding}). */
    private final ByteBuffer region;
    private final int scb;
    private HintReason reason = HintReason.NONE;
    private int pressure;
    private long timeNanos;
    private long coalesced;

    LocalHint(ByteBuffer region, int scb) {
        this.region = region;
        this.scb = scb;
    }

    /**
     * Posts a yield request from the JVM. A post while an earlier hint (of either poster) is
     * unanswered is counted as coalesced.
     */
    public synchronized void post(HintReason reason, int pressure, long nowNanos) {
        if (ScbAccess.hintPending(region, scb)) {
            coalesced++;
        }
        this.reason = reason;
        this.pressure = Math.max(0, Math.min(100, pressure));
        this.timeNanos = nowNanos;
        ScbAccess.incrementLocalHintSeq(region, scb);
    }

    public synchronized HintReason reason() {
        return reason;
    }

    public synchronized int pressure() {
        return pressure;
    }

    public synchronized long timeNanos() {
        return timeNanos;
    }

    /** Local hints posted while an earlier hint was unanswered (the kernel counts its own in the SCB). */
    public synchronized long coalesced() {
        return coalesced;
    }
}
