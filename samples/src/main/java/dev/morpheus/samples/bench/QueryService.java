package dev.morpheus.samples.bench;

import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.Props;

/**
 * The service half of a query pair (Pareto scenario S3): answers each query after a short
 * CPU-bound computation ({@code rounds} xorshift rounds, see {@link WorkUnit}).
 */
final class QueryService extends AbstractActor {
    private final long rounds;
    private long acc = 1;

    QueryService(long rounds) {
        this.rounds = rounds;
    }

    static Props props(long rounds, String dispatcher) {
        return Props.create(QueryService.class, () -> new QueryService(rounds)).withDispatcher(dispatcher);
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder().match(QueryClient.Query.class, q -> {
            acc = WorkUnit.spin(acc + q.k(), rounds);
            getSender().tell(new QueryClient.Answer(q.k()), getSelf());
        }).build();
    }
}
