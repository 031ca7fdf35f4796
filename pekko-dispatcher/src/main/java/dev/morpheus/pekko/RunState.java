package dev.morpheus.pekko;

import dev.morpheus.CriticalSection;

/**
 * The state of the mailbox run a {@link MorpheusWorkerThread} is executing. It is written
 * several times per run, so it lives in its own padded object rather than in the thread object,
 * whose header fields other threads read whenever they wake this one (unpark): sharing a cache
 * line with them made every run pay a cache-line transfer in ping-pong workloads.
 */
@SuppressWarnings("unused")
final class RunState extends RunStateFields {
    // Padding after the fields (field order within a class is the JVM's choice; across the
    // class hierarchy it is not: superclass fields come first).
    private long q0, q1, q2, q3, q4, q5, q6, q7;
}

/** Padding before the fields. */
@SuppressWarnings("unused")
abstract class RunStatePad {
    private long p0, p1, p2, p3, p4, p5, p6, p7;
}

/** The fields; all owned by the thread. */
abstract class RunStateFields extends RunStatePad {
    boolean firstOfRun;
    Object runQueue;
    int runMessages;
    long runDeadline;
    boolean yieldPending;
    CriticalSection openSection;
}
