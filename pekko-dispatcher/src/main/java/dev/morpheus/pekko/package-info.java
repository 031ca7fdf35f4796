/**
 * The Morpheus dispatcher for Pekko: mailbox batches that end at a message boundary when a hint
 * asks, on a work-stealing executor that hands threads to newly woken work. One package, because
 * its parts share a batch protocol that Java can keep package-private only inside one package
 * (split packages would make the protocol public API); the names say which part a class is:
 *
 * <ul>
 *   <li><b>What users name</b> (configuration and code): {@link dev.morpheus.pekko.MorpheusDispatcherConfigurator}
 *       ({@code type} of a dispatcher), {@link dev.morpheus.pekko.MorpheusDispatcher},
 *       {@link dev.morpheus.pekko.MorpheusDispatcherSettings}, {@link dev.morpheus.pekko.MorpheusDispatcherStats},
 *       {@link dev.morpheus.pekko.CriticalActor}, {@link dev.morpheus.pekko.MorpheusProps},
 *       {@link dev.morpheus.pekko.MorpheusExtension}; {@code DispatcherKeys} reads their configuration.</li>
 *   <li><b>Executor</b> ({@code morpheus-executor}): {@code MorpheusExecutor} (lanes, stealing,
 *       wake-up preemption, cut mailboxes), {@code MorpheusExecutorConfigurator},
 *       {@code MorpheusExecutorSettings}, {@code CgroupCpuQuota}.</li>
 *   <li><b>Checkpointed queues</b>, where the per-message checkpoint runs ({@code dequeue()}):
 *       {@code CheckpointedUnboundedQueue} and {@code CheckpointedNodeQueue} for Pekko's two
 *       default mailboxes, {@link dev.morpheus.pekko.CheckpointedMessageQueue} and its deque
 *       variants wrapping any other; {@code DeadLetterDrain}.</li>
 *   <li><b>Pool threads and their run state</b>: {@link dev.morpheus.pekko.DispatcherThread},
 *       {@link dev.morpheus.pekko.DispatcherPoolThread} (morpheus-executor, thread-pool),
 *       {@link dev.morpheus.pekko.DispatcherForkJoinThread} (fork-join), {@code DispatcherThreadFactory};
 *       {@link dev.morpheus.pekko.RunState}, each thread's Morpheus worker and the state of
 *       the mailbox run it executes (the batch protocol: checkpoint, cut, handover, run end).</li>
 *   <li><b>Shared state and observability</b>: {@code DispatcherContext} (settings, counters,
 *       pool) shared by one dispatcher's parts; {@code DispatcherRegistry} (dispatchers per
 *       actor system); {@link dev.morpheus.pekko.MorpheusDispatcherMXBean} and its implementation
 *       {@code DispatcherJmx}.</li>
 * </ul>
 *
 * The data path from the kernel to a mailbox boundary is drawn in {@code docs/architecture.md}.
 */
package dev.morpheus.pekko;
