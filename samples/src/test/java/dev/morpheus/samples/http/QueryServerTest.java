package dev.morpheus.samples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.morpheus.pekko.MorpheusDispatcher;
import dev.morpheus.pekko.MorpheusDispatcherStats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.pekko.dispatch.MessageDispatcher;
import org.junit.jupiter.api.Test;

/**
 * The HTTP sample answers on the Morpheus dispatcher as Pekko's default-dispatcher: the default
 * dispatcher is a {@link MorpheusDispatcher}, queries come back with their answers while the
 * background jobs keep it busy, and the actors (Pekko's HTTP and stream stages among them) ran
 * checkpointed mailboxes on it.
 */
class QueryServerTest {
    @Test
    void answersQueriesOnTheMorpheusDefaultDispatcher() throws Exception {
        try (QueryServer.Running server = QueryServer.start("morpheus", 0, QueryService.JOBS)) {
            MessageDispatcher d = server.system().classicSystem().dispatchers().defaultGlobalDispatcher();
            MorpheusDispatcher morpheus = assertInstanceOf(MorpheusDispatcher.class, d, "default-dispatcher");
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertEquals("ok", health.body());
            for (long id = 0; id < 200; id++) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/query/" + id))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                assertTrue(r.body().startsWith(id + " "), "the answer to query " + id + ": " + r.body());
            }
            MorpheusDispatcherStats s = morpheus.stats();
            assertTrue(s.actorsChecked() >= QueryService.SHARDS + QueryService.JOBS, "checkpointed actors: " + s);
            assertTrue(s.threadsStarted() >= 1, s.toString());
        }
    }
}
