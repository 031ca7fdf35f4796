package dev.morpheus.pekko;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.Test;

/**
 * The Morpheus dispatcher as Pekko's {@code pekko.actor.default-dispatcher}, and as a dispatcher
 * inheriting it ({@code ${pekko.actor.default-dispatcher} { ... }}): both carry Pekko's own
 * {@code throughput = 5} from its reference.conf, which must not count as the user's (the key
 * check refuses only a {@code throughput} the user wrote).
 */
class DefaultDispatcherTest {
    @Test
    void theMorpheusDispatcherCanBePekkosDefaultDispatcher() {
        ActorSystem system = ActorSystem.create("DefaultDispatcherTest", ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                pekko.actor.default-dispatcher {
                  type = "dev.morpheus.pekko.MorpheusDispatcherConfigurator"
                  morpheus { hint-source = none, jmx = off }
                }
                inheriting = ${pekko.actor.default-dispatcher} {
                  morpheus { hint-source = none, jmx = off }
                }
                """).withFallback(ConfigFactory.load()).resolve());
        try {
            assertInstanceOf(MorpheusDispatcher.class, system.dispatchers().defaultGlobalDispatcher());
            assertInstanceOf(MorpheusDispatcher.class, system.dispatchers().lookup("inheriting"));
        } finally {
            TestKit.shutdownActorSystem(system);
        }
    }

    @Test
    void aThroughputTheUserWroteIsStillRefused() {
        Throwable t = assertThrows(RuntimeException.class, () -> ActorSystem.create("DefaultDispatcherTest2",
                ConfigFactory.parseString("""
                        pekko.loglevel = WARNING
                        pekko.actor.default-dispatcher {
                          type = "dev.morpheus.pekko.MorpheusDispatcherConfigurator"
                          throughput = 50
                          morpheus { hint-source = none, jmx = off }
                        }
                        """).withFallback(ConfigFactory.load()).resolve()));
        String all = "";
        for (Throwable c = t; c != null; c = c.getCause()) {
            all += c.getMessage() + "\n";
        }
        assertTrue(all.contains("throughput = 50") && all.contains("morpheus.max-batch"), all);
    }
}
