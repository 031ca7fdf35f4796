package dev.morpheus.samples.cluster;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One node's counters for the status line: shared by the actors of one ActorSystem (never
 * static, so several nodes in one JVM, as in the tests, keep separate books).
 */
public final class NodeStats {
    private final AtomicLong jobsExecuted = new AtomicLong();
    private final AtomicLong jobsSubmitted = new AtomicLong();
    private final AtomicLong jobsCompleted = new AtomicLong();
    private final AtomicLong duplicateCompletions = new AtomicLong();
    private final AtomicLong ledgerRecords = new AtomicLong();
    private volatile LatencyWindow.Summary probe = LatencyWindow.Summary.EMPTY;

    /** A job entity hosted on this node finished a job. */
    void jobExecuted() {
        jobsExecuted.incrementAndGet();
    }

    void jobSubmitted() {
        jobsSubmitted.incrementAndGet();
    }

    void jobCompleted() {
        jobsCompleted.incrementAndGet();
    }

    void duplicateCompletion() {
        duplicateCompletions.incrementAndGet();
    }

    void ledgerRecorded() {
        ledgerRecords.incrementAndGet();
    }

    void probe(LatencyWindow.Summary summary) {
        probe = summary;
    }

    /** Jobs executed by entities hosted on this node (wherever they were submitted). */
    public long jobsExecuted() {
        return jobsExecuted.get();
    }

    /** Jobs this node's producer submitted. */
    public long jobsSubmitted() {
        return jobsSubmitted.get();
    }

    /** Completions this node's producer received (first completion of each job only). */
    public long jobsCompleted() {
        return jobsCompleted.get();
    }

    /** Completions received for a job that had already completed: must stay 0. */
    public long duplicateCompletions() {
        return duplicateCompletions.get();
    }

    /** Records applied by critical-tagged ledger entities hosted on this node. */
    public long ledgerRecords() {
        return ledgerRecords.get();
    }

    /** The latency probe's latest window. */
    public LatencyWindow.Summary probe() {
        return probe;
    }
}
