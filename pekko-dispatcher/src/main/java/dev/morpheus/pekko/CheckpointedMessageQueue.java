package dev.morpheus.pekko;

import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.dispatch.Envelope;
import org.apache.pekko.dispatch.MessageQueue;

/**
 * Wraps an actor's real message queue so that {@link #dequeue()}, which Pekko's mailbox calls
 * before every message, is the per-message checkpoint (see {@link RunState}). For any mailbox
 * but the two defaults, which get their own checkpointing queues instead
 * ({@link CheckpointedUnboundedQueue}, {@link CheckpointedNodeQueue}) and so no extra call per operation.
 * Everything else delegates: the queue's ordering (FIFO, priority, control-aware) is the real
 * queue's. On a thread that is not a Morpheus worker (clean-up at actor stop, tools) it is a
 * plain delegate.
 *
 * <p>A critical queue never cuts a batch and runs each message inside the worker's critical
 * section. The deque variants ({@link CheckpointedDequeMessageQueue},
 * {@link CheckpointedBoundedDequeMessageQueue}) keep {@code Stash} working.
 */
public class CheckpointedMessageQueue implements MessageQueue {
    final MessageQueue inner;
    private final boolean critical;

    CheckpointedMessageQueue(MessageQueue inner, boolean critical) {
        this.inner = inner;
        this.critical = critical;
    }

    /** The real queue. */
    public final MessageQueue underlying() {
        return inner;
    }

    /** Whether this actor's messages run inside critical sections (and its batches are never cut). */
    public final boolean critical() {
        return critical;
    }

    @Override
    public final void enqueue(ActorRef receiver, Envelope handle) {
        inner.enqueue(receiver, handle);
    }

    @Override
    public final Envelope dequeue() {
        return RunState.cutsBatch(this, critical) ? null : inner.dequeue();
    }

    @Override
    public final int numberOfMessages() {
        return inner.numberOfMessages();
    }

    @Override
    public final boolean hasMessages() {
        return inner.hasMessages();
    }

    @Override
    public final void cleanUp(ActorRef owner, MessageQueue deadLetters) {
        inner.cleanUp(owner, deadLetters);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + inner.getClass().getName() + (critical ? ", critical" : "") + "]";
    }
}
