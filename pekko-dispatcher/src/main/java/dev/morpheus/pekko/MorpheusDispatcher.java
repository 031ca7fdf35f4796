package dev.morpheus.pekko;

import dev.morpheus.Morpheus;
import org.apache.pekko.actor.Actor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Cell;
import org.apache.pekko.dispatch.BoundedDequeBasedMessageQueueSemantics;
import org.apache.pekko.dispatch.Dispatcher;
import org.apache.pekko.dispatch.Mailbox;
import org.apache.pekko.dispatch.MailboxType;
import org.apache.pekko.dispatch.Mailboxes;
import org.apache.pekko.dispatch.MessageDispatcherConfigurator;
import org.apache.pekko.dispatch.MessageQueue;
import org.apache.pekko.dispatch.SingleConsumerOnlyUnboundedMailbox;
import org.apache.pekko.dispatch.UnboundedMailbox;
import org.apache.pekko.dispatch.UnboundedDequeBasedMessageQueueSemantics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.concurrent.duration.Duration;
import scala.concurrent.duration.FiniteDuration;

/**
 * Pekko's event-based {@link Dispatcher} that yields at mailbox boundaries on Morpheus hints.
 *
 * <p>Three seams, all public in Pekko's bytecode, none changing how messages are queued or
 * delivered:
 * <ol>
 *   <li>{@link #createMailbox}: every actor's message queue checks the worker's hint in
 *       {@code dequeue()}, which the mailbox calls before each message; a yield request ends the
 *       batch by returning {@code null}, after which Pekko re-submits the mailbox. The two default
 *       mailboxes get checkpointing queues of their own kind ({@link CheckpointedUnboundedQueue},
 *       {@link CheckpointedNodeQueue}); any other queue is wrapped ({@link CheckpointedMessageQueue}).
 *       Actors tagged critical never have their batch cut and run each message in a critical
 *       section. Actors that require a queue type the wrappers cannot honour run unwrapped
 *       (counted, logged at debug).</li>
 *   <li>{@link #registerForExecution}: the mailbox calls it last in every run; the run ends
 *       there (critical section closed, worker marked quiescing). The re-submission of a mailbox
 *       whose batch was cut is marked, so {@link MorpheusExecutor} queues it behind newly woken
 *       work; after it, the thread gives up its CPU if a hint from outside the JVM cut it.</li>
 * </ol>
 * The batch bound without hints is {@code max-batch} (Pekko's {@code throughput}), large by
 * default, so an unpressured actor keeps its cache-hot thread.
 * DEFENSIVE mode (hint source lost) bounds each batch by {@code defensive-slice} of time,
 * counted from the batch's first message (checked in {@code dequeue()} like a hint); the
 * Morpheus instance also posts DEFENSIVE hints to workers that ran that long.
 */
public final class MorpheusDispatcher extends Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(MorpheusDispatcher.class);

    private final DispatcherContext runtime;
    private final String criticalTag;
    private final Mailboxes mailboxes;

    MorpheusDispatcher(MessageDispatcherConfigurator configurator, String id, Duration throughputDeadline,
                       MorpheusExecutorConfigurator executor, FiniteDuration shutdownTimeout, DispatcherContext runtime) {
        super(configurator, id, runtime.maxBatch, throughputDeadline, executor, shutdownTimeout);
        this.runtime = runtime;
        this.criticalTag = runtime.settings.criticalTag();
        this.mailboxes = configurator.prerequisites().mailboxes();
    }

    @Override
    public Mailbox createMailbox(Cell actor, MailboxType mailboxType) {
        boolean critical = isCritical(actor);
        Class<? extends Actor> actorClass = actor.props().actorClass();
        Class<?> required = mailboxes.hasRequiredType(actorClass) ? mailboxes.getRequiredType(actorClass) : null;
        MailboxType wrapping = (owner, system) -> checkpointed(mailboxType, owner, system, critical, required, actor);
        return super.createMailbox(actor, wrapping);
    }

    private boolean isCritical(Cell actor) {
        return actor.props().deploy().tags().contains(criticalTag)
                || CriticalActor.class.isAssignableFrom(actor.props().actorClass());
    }

    /** The actor's queue, with the checkpoint in its {@code dequeue()}: built in for the two default mailboxes, a wrapper otherwise. */
    private MessageQueue checkpointed(MailboxType type, Option<ActorRef> owner, Option<ActorSystem> system, boolean critical,
                                      Class<?> required, Cell actor) {
        MessageQueue queue = type instanceof UnboundedMailbox ? new CheckpointedUnboundedQueue(critical)
                : type instanceof SingleConsumerOnlyUnboundedMailbox ? new CheckpointedNodeQueue(critical)
                : null;
        if (queue == null || (required != null && !required.isInstance(queue))) {
            return wrap(type.create(owner, system), critical, required, actor);
        }
        (critical ? runtime.actorsCritical : runtime.actorsChecked).increment();
        return queue;
    }

    private MessageQueue wrap(MessageQueue inner, boolean critical, Class<?> required, Cell actor) {
        CheckpointedMessageQueue wrapped;
        if (inner instanceof UnboundedDequeBasedMessageQueueSemantics) {
            wrapped = new CheckpointedDequeMessageQueue(inner, critical);
        } else if (inner instanceof BoundedDequeBasedMessageQueueSemantics) {
            wrapped = new CheckpointedBoundedDequeMessageQueue(inner, critical);
        } else {
            wrapped = new CheckpointedMessageQueue(inner, critical);
        }
        if (required != null && !required.isInstance(wrapped)) {
            runtime.actorsUnchecked.increment();
            LOG.debug("Morpheus dispatcher {}: {} requires {}; its queue {} runs without checkpoints", id(), actor.self(),
                    required.getName(), inner.getClass().getName());
            return inner;
        }
        (critical ? runtime.actorsCritical : runtime.actorsChecked).increment();
        return wrapped;
    }

    /**
     * The mailbox's last call in every run ({@code false, false}) ends the run on this thread,
     * after the mailbox is back in the pool; every other call schedules as usual, and one for a
     * message from outside the pool to a mailbox that is queued already tells the Morpheus
     * executor, which asks for a handover again if work from outside the pool waits
     * ({@link MorpheusExecutor#messageForQueuedWork}). Called for every message sent, so kept
     * small enough to inline into Pekko's send path: the run's end and the outside sender are
     * out of line, and a send from this dispatcher's own pool costs a class and a field compare
     * beyond Pekko's own.
     */
    @Override
    public boolean registerForExecution(Mailbox mbox, boolean hasMessageHint, boolean hasSystemMessageHint) {
        if (!hasMessageHint && !hasSystemMessageHint) {
            return registerAtRunEnd(mbox);
        }
        boolean scheduled = super.registerForExecution(mbox, hasMessageHint, hasSystemMessageHint);
        if (!scheduled && hasMessageHint
                && !(Thread.currentThread() instanceof DispatcherPoolThread p && p.run.runtime == runtime)) {
            messageFromOutsideForQueuedWork(); // a thread of another pool, or none
        }
        return scheduled;
    }

    /** {@code registerForExecution(mbox, false, false)}: the end of this thread's run if the mailbox is the run's. */
    private boolean registerAtRunEnd(Mailbox mbox) {
        RunState w = RunState.of(Thread.currentThread());
        if (w == null || !w.endsRunOf(mbox.messageQueue())) {
            return super.registerForExecution(mbox, false, false);
        }
        w.resubmitting(true);
        boolean scheduled;
        try {
            scheduled = super.registerForExecution(mbox, false, false);
        } finally {
            w.resubmitting(false);
        }
        w.runEnded(scheduled);
        return scheduled;
    }

    private void messageFromOutsideForQueuedWork() {
        if (runtime.pool() instanceof MorpheusExecutor executor) {
            executor.messageForQueuedWork();
        }
    }

    /** The executor of this dispatcher's pool: {@code morpheus-executor}, {@code thread-pool-executor} or {@code fork-join-executor}. */
    public String executorKind() {
        return runtime.executor;
    }

    /** The current pool, or null before the first task (tests). */
    java.util.concurrent.ExecutorService pool() {
        return runtime.pool();
    }

    /** This dispatcher's Morpheus instance (mode, metrics, hint source). */
    public Morpheus morpheus() {
        return runtime.morpheus;
    }

    public MorpheusDispatcherSettings settings() {
        return runtime.settings;
    }

    /** The counters and settings behind this dispatcher (its JMX bean reads single counters from it). */
    DispatcherContext runtime() {
        return runtime;
    }

    /** A snapshot of this dispatcher's counters. */
    public MorpheusDispatcherStats stats() {
        return runtime.stats();
    }

    /** Whether batches are bounded by time now (the DEFENSIVE flag runs read at their start). */
    boolean defensive() {
        return runtime.defensive;
    }

    /** Queued work the pool has not started yet (the queue hint source's pressure signal). */
    public long pendingWork() {
        return runtime.pendingWork();
    }
}
