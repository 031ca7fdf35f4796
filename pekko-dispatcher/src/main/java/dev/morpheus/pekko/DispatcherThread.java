package dev.morpheus.pekko;

/**
 * A pool thread of a Morpheus dispatcher, whatever the executor: {@link DispatcherForkJoinThread}
 * (fork-join) or {@link DispatcherPoolThread} (morpheus-executor and thread-pool). Each owns one {@link RunState}, the
 * thread's Morpheus registration and the state of the mailbox run it executes.
 *
 * <p>The dispatcher's hot path does not test this interface: {@link RunState#of(Thread)} tests
 * the two final classes (a class-pointer compare each), which is cheaper than an interface check
 * on Java 17 and immune to its secondary-supers cache contention.
 */
public interface DispatcherThread {
    /** The thread's run state and Morpheus worker (owned and mutated by this thread only). */
    RunState runState();
}
