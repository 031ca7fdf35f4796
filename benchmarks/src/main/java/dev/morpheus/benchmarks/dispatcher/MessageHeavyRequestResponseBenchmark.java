package dev.morpheus.benchmarks.dispatcher;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Request/response in the shape of Pekko's bench-jmh {@code AffinityPoolRequestResponseBenchmark}
 * ({@code queryUserServiceActor}): {@value #PAIRS} pairs of a client actor and a service actor.
 * The client asks its service for a random user, the service looks the user up in a map of
 * {@value #USERS} users and answers with the record, and the client stores the answer and asks
 * the next; {@code 2 x throughput} queries are in flight per pair (Pekko's
 * {@code inFlight = throughPut * 2}). Scores are messages per second (a query and its answer
 * are two).
 *
 * <p>Unlike ping-pong each message does a little real work (a hash-map lookup in a table larger
 * than the caches, an allocation and a map insert on the client), so this weighs the
 * dispatcher's per-message cost against work the way a service does. {@code throughput}:
 * {@code default} (each point's own default batch bound: Pekko's 5, Morpheus' max-batch
 * default; 10 queries in flight per pair, Pekko's formula at throughput 5) and {@code 50}
 * (every point bounded at 50, 100 in flight), two of the values Pekko's benchmark runs;
 * {@code -p throughput=1} gives its third.
 *
 * <p>Differences from Pekko's, all deliberate: 8 pairs (Pekko: 8 actors, 4 pairs); the pairs
 * and one read-only user table shared by the services live for the whole trial (Pekko builds a
 * table per service and new actors before every invocation); each invocation re-arms the
 * clients with a {@link Start}, and a client sends exactly its quota, so no message is left
 * over or goes to dead letters.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar MessageHeavyRequestResponse -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class MessageHeavyRequestResponseBenchmark {
    static final int PAIRS = 8;
    static final int QUERIES_PER_CLIENT = 25_000;
    /** Messages per invocation: a query and an answer per query. */
    static final int MESSAGES = 2 * PAIRS * QUERIES_PER_CLIENT;
    /** Users in the table (Pekko's {@code numUsersInDB}). */
    static final int USERS = 300_000;

    @Param({"pekko-default", "pekko-default-aa", "stock-fork-join", "stock-thread-pool", "morpheus-default"})
    public String dispatcher;

    /** The batch bound of every point (see {@link MessageHeavyDispatchers}); also sets the queries in flight. */
    @Param({"default", "50"})
    public String throughput;

    private ActorSystem system;
    private ActorRef[] clients;
    private int inFlight;

    @Setup(Level.Trial)
    public void start() {
        inFlight = MessageHeavyDispatchers.inFlight(throughput);
        Map<Integer, User> users = userTable(USERS, 42);
        system = MessageHeavyDispatchers.start("bench", throughput);
        clients = new ActorRef[PAIRS];
        for (int i = 0; i < PAIRS; i++) {
            ActorRef service = system.actorOf(Props.create(UserService.class, users).withDispatcher(dispatcher), "service-" + i);
            clients[i] = system.actorOf(Props.create(UserQuery.class, service, (long) i).withDispatcher(dispatcher), "client-" + i);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        MessageHeavyDispatchers.checkPoolSize(system, dispatcher);
        MessageHeavyDispatchers.stop(system);
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void queryUserService() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(PAIRS);
        Start start = new Start(QUERIES_PER_CLIENT, inFlight, done);
        for (ActorRef client : clients) {
            client.tell(start, ActorRef.noSender());
        }
        MessageHeavyDispatchers.await(done);
    }

    /** {@code n} users with random names, a random number and five random friends. */
    static Map<Integer, User> userTable(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<Integer, User> users = new HashMap<>(2 * n);
        for (int id = 0; id < n; id++) {
            int[] friends = new int[5];
            for (int f = 0; f < friends.length; f++) {
                friends[f] = r.nextInt(n);
            }
            users.put(id, new User(id, name(r, 5), name(r, 7), r.nextInt(), friends));
        }
        return Map.copyOf(users);
    }

    private static String name(SplittableRandom r, int length) {
        char[] c = new char[length];
        for (int i = 0; i < length; i++) {
            c[i] = (char) ('a' + r.nextInt(26));
        }
        return new String(c);
    }

    public record Request(int userId) {}

    public record User(int userId, String firstName, String lastName, int ssn, int[] friends) {}

    /** Re-arms a client: ask {@code queries} queries, at most {@code inFlight} unanswered at a time. */
    public record Start(int queries, int inFlight, CountDownLatch done) {}

    /** Asks its service for random users, a window of queries in flight, and keeps the answers. */
    public static final class UserQuery extends AbstractActor {
        private final ActorRef service;
        private final SplittableRandom random;
        private final Map<Integer, User> received = new HashMap<>();
        private int toSend;
        private int toReceive;
        private CountDownLatch done;

        public UserQuery(ActorRef service, long seed) {
            this.service = service;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(User.class, u -> {
                        received.put(u.userId(), u);
                        if (toSend > 0) {
                            toSend--;
                            ask();
                        }
                        if (--toReceive == 0) {
                            done.countDown();
                        }
                    })
                    .match(Start.class, s -> {
                        received.clear();
                        toSend = s.queries();
                        toReceive = s.queries();
                        done = s.done();
                        int window = Math.min(s.inFlight(), toSend);
                        for (int i = 0; i < window; i++) {
                            ask();
                        }
                        toSend -= window;
                    })
                    .build();
        }

        private void ask() {
            service.tell(new Request(random.nextInt(USERS)), self());
        }
    }

    /** Answers each query with the user's record. */
    public static final class UserService extends AbstractActor {
        private final Map<Integer, User> users;

        public UserService(Map<Integer, User> users) {
            this.users = users;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(Request.class, q -> {
                        User u = users.get(q.userId());
                        if (u == null) {
                            throw new IllegalStateException("no user " + q.userId()); // would hang the client
                        }
                        sender().tell(u, self());
                    })
                    .build();
        }
    }
}
