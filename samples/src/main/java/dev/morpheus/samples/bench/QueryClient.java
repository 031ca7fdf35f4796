package dev.morpheus.samples.bench;

import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;

/**
 * The client half of a query pair (Pareto scenario S3): told by the open-loop driver to send
 * query {@code k}, it asks its service actor (a tell with itself as the sender) and records
 * when the answer arrives. The latency is computed later against the query's scheduled send
 * time, so time this actor waits for a thread before sending counts too.
 */
final class QueryClient extends AbstractActor {
    /** From the driver: send query {@code k} now (it was due at its scheduled time). */
    record Send(int k) {}

    /** To the service. */
    record Query(int k) {}

    /** From the service. */
    record Answer(int k) {}

    private final ActorRef service;
    private final AtomicLongArray answered;

    QueryClient(ActorRef service, AtomicLongArray answered) {
        this.service = service;
        this.answered = answered;
    }

    static Props props(ActorRef service, AtomicLongArray answered, String dispatcher) {
        return Props.create(QueryClient.class, () -> new QueryClient(service, answered)).withDispatcher(dispatcher);
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder()
                .match(Send.class, s -> service.tell(new Query(s.k()), getSelf()))
                .match(Answer.class, a -> answered.set(a.k(), System.nanoTime()))
                .build();
    }
}
