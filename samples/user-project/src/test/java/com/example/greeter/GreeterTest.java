package com.example.greeter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.morpheus.hint.HintSourceProvider;
import dev.morpheus.pekko.MorpheusDispatcher;
import java.util.ServiceLoader;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a user's build must get from the artifacts alone: the classes (transitively, morpheus-api
 * and JNA), the reference.conf of the dispatcher jar merged with Pekko's and the user's
 * application.conf, the extension it registers, and morpheus-api's ServiceLoader entry.
 */
class GreeterTest {
    private static ActorTestKit kit;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("greeter-test", ConfigFactory.load());
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void theGreeterRunsOnTheMorpheusDispatcher() throws Exception {
        ActorSystem<?> system = kit.system();
        assertInstanceOf(MorpheusDispatcher.class, system.classicSystem().dispatchers().lookup("greeter-dispatcher"));
        Greeter.Greeted g = Main.greetOnce(system, "user");
        assertEquals("user", g.whom());
        assertTrue(g.thread().contains("greeter-dispatcher"), "ran on " + g.thread());
    }

    @Test
    void referenceConfFilesAreMerged() {
        var config = kit.system().settings().config();
        // The dispatcher jar's reference.conf: the ready-made dispatcher and the extension.
        assertTrue(config.hasPath("morpheus.pekko.dispatcher.type"));
        assertTrue(config.getStringList("pekko.library-extensions").contains("dev.morpheus.pekko.MorpheusExtension$Id"));
        // Pekko's own reference.conf, and the user's application.conf.
        assertTrue(config.hasPath("pekko.actor.default-dispatcher"));
        assertEquals("queue", config.getString("greeter-dispatcher.morpheus.hint-source"));
    }

    @Test
    void theServiceLoaderFindsTheKernelHintSource() {
        boolean kernel = false;
        for (HintSourceProvider p : ServiceLoader.load(HintSourceProvider.class)) {
            kernel |= p.getClass().getName().equals("dev.morpheus.hint.kernel.KernelHintSourceProvider");
        }
        assertTrue(kernel, "morpheus-api's META-INF/services entry was not found");
    }
}
