package dev.morpheus.pekko;

import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.dispatch.AbstractNodeQueue;
import org.apache.pekko.dispatch.Envelope;
import org.apache.pekko.dispatch.MessageQueue;
import org.apache.pekko.dispatch.UnboundedMessageQueueSemantics;

/**
 * The queue of Pekko's {@code SingleConsumerOnlyUnboundedMailbox}, the default mailbox of typed
 * actors, with the per-message checkpoint built into {@link #dequeue()} (see {@link RunState}).
 * Pekko's {@code NodeMessageQueue} declares its methods final, so this class implements the same
 * four operations on the same lock-free {@link AbstractNodeQueue}: multiple producers, one
 * consumer (the mailbox run), no wrapper in between.
 *
 * <p>{@link #cleanUp} drains with {@code poll()} ({@link DeadLetterDrain}).
 */
final class CheckpointedNodeQueue extends AbstractNodeQueue<Envelope> implements MessageQueue, UnboundedMessageQueueSemantics {
    private static final long serialVersionUID = 1L;

    private final boolean critical;

    CheckpointedNodeQueue(boolean critical) {
        this.critical = critical;
    }

    @Override
    public void enqueue(ActorRef receiver, Envelope handle) {
        add(handle);
    }

    @Override
    public Envelope dequeue() {
        return RunState.cutsBatch(this, critical) ? null : poll();
    }

    @Override
    public int numberOfMessages() {
        return count();
    }

    @Override
    public boolean hasMessages() {
        return !isEmpty();
    }

    @Override
    public void cleanUp(ActorRef owner, MessageQueue deadLetters) {
        DeadLetterDrain.drain(this::poll, owner, deadLetters);
    }

    @Override
    public String toString() {
        return "CheckpointedNodeQueue[" + count() + (critical ? ", critical" : "") + "]";
    }
}
