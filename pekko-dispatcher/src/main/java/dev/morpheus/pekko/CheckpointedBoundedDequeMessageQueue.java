package dev.morpheus.pekko;

import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.dispatch.BoundedDequeBasedMessageQueueSemantics;
import org.apache.pekko.dispatch.Envelope;
import org.apache.pekko.dispatch.MessageQueue;
import scala.concurrent.duration.Duration;

/** A checkpointing wrapper of a bounded deque-based queue: {@code Stash} with a bounded mailbox. */
public final class CheckpointedBoundedDequeMessageQueue extends CheckpointedMessageQueue
        implements BoundedDequeBasedMessageQueueSemantics {
    private final BoundedDequeBasedMessageQueueSemantics deque;

    CheckpointedBoundedDequeMessageQueue(MessageQueue inner, boolean critical) {
        super(inner, critical);
        this.deque = (BoundedDequeBasedMessageQueueSemantics) inner;
    }

    @Override
    public void enqueueFirst(ActorRef receiver, Envelope handle) {
        deque.enqueueFirst(receiver, handle);
    }

    @Override
    public Duration pushTimeOut() {
        return deque.pushTimeOut();
    }
}
