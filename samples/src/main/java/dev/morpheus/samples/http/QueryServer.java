package dev.morpheus.samples.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * A Pekko HTTP service on the Morpheus dispatcher as {@code pekko.actor.default-dispatcher}
 * (issue 16: a real service, so Pekko's own streams and HTTP run on it too): {@code GET
 * /query/<id>} asks one of {@link QueryService#SHARDS} query actors and answers with its result;
 * background job actors keep the same dispatcher busy. {@code GET /health} answers "ok".
 *
 * <pre>java -cp samples/target/morpheus-samples.jar dev.morpheus.samples.http.QueryServer [--port N] [--dispatcher morpheus|stock] [--jobs N]</pre>
 * {@code stock}: Pekko's own default dispatcher (fork-join, throughput 5), for the comparison in
 * {@code scripts/http-bench.sh}; both use one thread per core. Prints {@code listening on port N}.
 */
public final class QueryServer extends AllDirectives {
    private final QueryService service;

    private QueryServer(QueryService service) {
        this.service = service;
    }

    /** The configuration of the {@code dispatcher} variant: Morpheus or stock as the default dispatcher, one thread per core. */
    static Config config(String dispatcher) {
        int cpus = Runtime.getRuntime().availableProcessors();
        String section = switch (dispatcher) {
            case "morpheus" -> """
                    pekko.actor.default-dispatcher {
                      type = "dev.morpheus.pekko.MorpheusDispatcherConfigurator"
                      morpheus { jmx = off }
                    }
                    """;
            case "stock" -> """
                    pekko.actor.default-dispatcher.fork-join-executor {
                      parallelism-min = %d, parallelism-factor = 1.0, parallelism-max = %d
                    }
                    """.formatted(Math.max(2, cpus), Math.max(2, cpus));
            default -> throw new IllegalArgumentException("--dispatcher = '" + dispatcher + "': must be morpheus or stock");
        };
        return ConfigFactory.parseString(section + "pekko.loglevel = WARNING\n").withFallback(ConfigFactory.load());
    }

    /** Spawns the query shards (handed out through {@code shards} once all exist) and the jobs. */
    static Behavior<Void> guardian(int jobs, CompletableFuture<List<ActorRef<QueryService.Query>>> shards) {
        return Behaviors.setup(ctx -> {
            List<ActorRef<QueryService.Query>> refs = new ArrayList<>();
            for (int i = 0; i < QueryService.SHARDS; i++) {
                refs.add(ctx.spawn(QueryService.shard(), "query-" + i));
            }
            for (int i = 0; i < jobs; i++) {
                ctx.spawn(QueryService.job(), "job-" + i);
            }
            shards.complete(List.copyOf(refs));
            return Behaviors.empty();
        });
    }

    /** A running server: its system and the bound port. */
    record Running(ActorSystem<Void> system, ServerBinding binding) implements AutoCloseable {
        int port() {
            return binding.localAddress().getPort();
        }

        @Override
        public void close() throws Exception {
            binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    static Running start(String dispatcher, int port, int jobs) throws Exception {
        CompletableFuture<List<ActorRef<QueryService.Query>>> shards = new CompletableFuture<>();
        ActorSystem<Void> system = ActorSystem.create(guardian(jobs, shards), "http-sample", config(dispatcher));
        QueryServer server = new QueryServer(new QueryService(system, shards.get(60, TimeUnit.SECONDS)));
        ServerBinding binding = Http.get(system).newServerAt("127.0.0.1", port).bind(server.routes())
                .toCompletableFuture().get(60, TimeUnit.SECONDS);
        return new Running(system, binding);
    }

    Route routes() {
        return concat(
                path("health", () -> get(() -> complete("ok"))),
                pathPrefix("query", () -> path(PathMatchers.longSegment(), id -> get(() -> {
                    CompletionStage<QueryService.Answer> a = service.ask(id);
                    return onSuccess(a, answer -> complete(answer.id() + " " + answer.value()));
                }))));
    }

    public static void main(String[] args) throws Exception {
        int port = 8080;
        String dispatcher = "morpheus";
        int jobs = QueryService.JOBS;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--port" -> port = number(a, v, 0, 65535);
                case "--dispatcher" -> dispatcher = v;
                case "--jobs" -> jobs = number(a, v, 0, 1024);
                default -> {
                    System.err.println("usage: QueryServer [--port 0-65535] [--dispatcher morpheus|stock] [--jobs 0-1024]");
                    System.exit(2);
                }
            }
            i++;
        }
        Running r = start(dispatcher, port, jobs);
        System.out.println("listening on port " + r.port() + " (default-dispatcher: " + dispatcher + ")");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                r.close();
            } catch (Exception e) {
                System.err.println("shutdown: " + e);
            }
        }));
        r.system().getWhenTerminated().toCompletableFuture().get();
    }

    private static int number(String flag, String v, int min, int max) {
        try {
            int n = Integer.parseInt(v == null ? "" : v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        System.err.println(flag + " = '" + v + "': must be an integer " + min + " - " + max);
        System.exit(2);
        return -1;
    }
}
