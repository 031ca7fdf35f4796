package dev.morpheus.pekko;

import java.util.function.Supplier;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.dispatch.Envelope;
import org.apache.pekko.dispatch.MessageQueue;

/**
 * How the checkpointing queues ({@link CheckpointedUnboundedQueue}, {@link CheckpointedNodeQueue}) empty
 * themselves at actor stop: with the queue's plain {@code poll()}, never with the checkpointing
 * {@code dequeue()}, whose cut would leave messages behind. Every remaining message reaches
 * dead letters.
 */
final class DeadLetterDrain {
    private DeadLetterDrain() {}

    /** Moves every message {@code poll} still yields to {@code deadLetters}, in order. */
    static void drain(Supplier<Envelope> poll, ActorRef owner, MessageQueue deadLetters) {
        for (Envelope e = poll.get(); e != null; e = poll.get()) {
            deadLetters.enqueue(owner, e);
        }
    }
}
