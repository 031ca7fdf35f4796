package dev.morpheus.pekko;

import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.dispatch.Envelope;
import org.apache.pekko.dispatch.MessageQueue;
import org.apache.pekko.dispatch.UnboundedMailbox;

/**
 * The queue of Pekko's default classic mailbox ({@code UnboundedMailbox}) with the per-message
 * checkpoint built into {@link #dequeue()} (see {@link RunState}). It is Pekko's own queue
 * class, so it keeps every semantics interface and the mailbox's queue calls cost what they
 * cost on the stock dispatcher: no wrapper in between.
 *
 * <p>{@link #cleanUp} drains with {@code poll()} ({@link DeadLetterDrain}).
 */
final class CheckpointedUnboundedQueue extends UnboundedMailbox.MessageQueue {
    private final boolean critical;

    CheckpointedUnboundedQueue(boolean critical) {
        this.critical = critical;
    }

    @Override
    public Envelope dequeue() {
        return RunState.cutsBatch(this, critical) ? null : poll();
    }

    @Override
    public void cleanUp(ActorRef owner, MessageQueue deadLetters) {
        DeadLetterDrain.drain(this::poll, owner, deadLetters);
    }

    @Override
    public String toString() {
        return "CheckpointedUnboundedQueue[" + size() + (critical ? ", critical" : "") + "]";
    }
}
