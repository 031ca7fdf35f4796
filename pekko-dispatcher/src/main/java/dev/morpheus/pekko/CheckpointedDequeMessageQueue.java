package dev.morpheus.pekko;

import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.dispatch.DequeBasedMessageQueueSemantics;
import org.apache.pekko.dispatch.Envelope;
import org.apache.pekko.dispatch.MessageQueue;
import org.apache.pekko.dispatch.UnboundedDequeBasedMessageQueueSemantics;

/** A checkpointing wrapper of an unbounded deque-based queue: {@code Stash} can put messages back in front. */
public final class CheckpointedDequeMessageQueue extends CheckpointedMessageQueue implements UnboundedDequeBasedMessageQueueSemantics {
    private final DequeBasedMessageQueueSemantics deque;

    CheckpointedDequeMessageQueue(MessageQueue inner, boolean critical) {
        super(inner, critical);
        this.deque = (DequeBasedMessageQueueSemantics) inner;
    }

    @Override
    public void enqueueFirst(ActorRef receiver, Envelope handle) {
        deque.enqueueFirst(receiver, handle);
    }
}
