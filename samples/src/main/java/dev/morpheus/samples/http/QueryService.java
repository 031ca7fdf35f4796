package dev.morpheus.samples.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The actors behind the HTTP sample's routes: {@value #SHARDS} query actors that answer a query
 * after a few microseconds of work (a lookup), and {@value #JOBS} background job actors, batch
 * work beside the request path as in real services: every {@value #JOB_PERIOD_MS} ms each job
 * gets a batch of {@value #UNITS_PER_BATCH} CPU-bound units of {@value #JOB_UNIT_NANOS} ns, one
 * message per unit (about 40% of two CPUs for four jobs).
 * Everything runs on the actor system's default dispatcher, so Pekko's own streams and HTTP
 * machinery share it with them.
 */
final class QueryService {
    static final int SHARDS = 8;
    static final int JOBS = 4;
    /** CPU time of one answer (a lookup). */
    static final long ANSWER_NANOS = 5_000;
    /** CPU time of one background unit. */
    static final long JOB_UNIT_NANOS = 100_000;
    static final int UNITS_PER_BATCH = 20;
    static final int JOB_PERIOD_MS = 10;
    static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

    record Query(long id, ActorRef<Answer> replyTo) {}

    record Answer(long id, long value) {}

    /** A job's messages: a new batch is due, or the next unit of the current one. */
    interface JobMessage {}

    record Tick() implements JobMessage {}

    record Unit() implements JobMessage {}

    private final List<ActorRef<Query>> shards = new ArrayList<>();
    private final ActorSystem<?> system;

    /** Starts the query and job actors under {@code system}'s guardian (see {@link QueryServer#guardian}). */
    QueryService(ActorSystem<?> system, List<ActorRef<Query>> shards) {
        this.system = system;
        this.shards.addAll(shards);
    }

    static Behavior<Query> shard() {
        return Behaviors.receive(Query.class)
                .onMessage(Query.class, q -> {
                    q.replyTo().tell(new Answer(q.id(), spin(ANSWER_NANOS, q.id())));
                    return Behaviors.same();
                })
                .build();
    }

    /** A background job: a batch of units every period, one unit per message, the next sent to itself. */
    static Behavior<JobMessage> job() {
        return Behaviors.withTimers(timers -> Behaviors.setup(ctx -> {
            timers.startTimerAtFixedRate(new Tick(), Duration.ofMillis(JOB_PERIOD_MS));
            int[] left = {0};
            Unit unit = new Unit();
            return Behaviors.receive(JobMessage.class)
                    .onMessage(Tick.class, t -> {
                        if (left[0] == 0) {
                            ctx.getSelf().tell(unit);
                        }
                        left[0] += UNITS_PER_BATCH;
                        return Behaviors.same();
                    })
                    .onMessage(Unit.class, u -> {
                        spin(JOB_UNIT_NANOS, 1);
                        if (--left[0] > 0) {
                            ctx.getSelf().tell(unit);
                        }
                        return Behaviors.same();
                    })
                    .build();
        }));
    }

    CompletionStage<Answer> ask(long id) {
        ActorRef<Query> shard = shards.get((int) Math.floorMod(id, (long) shards.size()));
        return AskPattern.ask(shard, (ActorRef<Answer> replyTo) -> new Query(id, replyTo), ASK_TIMEOUT, system.scheduler());
    }

    /** CPU work for about {@code nanos}; returns a value that depends on it so it is not optimized away. */
    static long spin(long nanos, long seed) {
        long until = System.nanoTime() + nanos;
        long x = seed;
        while (System.nanoTime() < until) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
    }
}
