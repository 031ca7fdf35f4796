package dev.morpheus.samples.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;

/** Creates and stops the ActorSystem of one run, with the mode's {@code bench-dispatcher}. */
final class PekkoSystems {
    static final String DISPATCHER = "bench-dispatcher";

    private PekkoSystems() {}

    static Config config(String dispatcherSection) {
        String hocon = "pekko.loglevel = WARNING\n"
                + "pekko.stdout-loglevel = WARNING\n"
                + "pekko.log-dead-letters = off\n"
                + "pekko.log-dead-letters-during-shutdown = off\n"
                + "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n"
                + DISPATCHER + " {\n" + dispatcherSection + "}\n";
        return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.load());
    }

    static ActorSystem start(String name, String dispatcherSection) {
        return ActorSystem.create(name, config(dispatcherSection));
    }

    static void stop(ActorSystem system) {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("warning: actor system " + system.name() + " did not terminate in 30 s: " + e);
        }
    }
}
