package dev.morpheus.pekko;

/**
 * A pool thread of a Morpheus dispatcher, whatever the executor: {@link MorpheusWorkerThread}
 * (fork-join) or {@link MorpheusPoolThread} (thread-pool). Each owns one {@link WorkerRun}, the
 * thread's Morpheus registration and the state of the mailbox run it executes.
 *
 * <p>The dispatcher's hot path does not test this interface: {@link WorkerRun#of(Thread)} tests
 * the two final classes (a class-pointer compare each), which is cheaper than an interface check
 * on Java 17 and immune to its secondary-supers cache contention.
 */
public interface MorpheusThread {
    /** The thread's run state and Morpheus worker (owned and mutated by this thread only). */
    WorkerRun morpheusRun();
}
