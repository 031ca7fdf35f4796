package dev.morpheus.pekko;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import dev.morpheus.hint.ProcfsHintSource;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.Test;

/**
 * What {@code hint-source = auto} picks without morpheusd, on every executor: the best
 * in-process sampler (procfs on Linux, else queue). On the Morpheus executor {@code none} would
 * do without the sampler's thread, but a handover the executor asks for can still be lost there,
 * and the sampler's queue-pressure hints are its backstop (CHANGELOG, known limitations).
 */
class AutoHintSourceTest {
    private static String activeSource(String executor) {
        ActorSystem system = ActorSystem.create("AutoHintSourceTest", ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                d {
                  type = "dev.morpheus.pekko.MorpheusDispatcherConfigurator"
                  executor = "%s"
                  morpheus { hint-source = auto, socket = "/nonexistent/morpheusd.sock", jmx = off }
                }
                """.formatted(executor)).withFallback(ConfigFactory.load()).resolve());
        try {
            return ((MorpheusDispatcher) system.dispatchers().lookup("d")).stats().hintSource();
        } finally {
            TestKit.shutdownActorSystem(system);
        }
    }

    @Test
    void autoWithoutADaemonIsAnInProcessSamplerOnEveryExecutor() {
        String sampler = ProcfsHintSource.unavailableReason().isEmpty() ? "procfs" : "queue";
        assertEquals(sampler, activeSource("morpheus-executor"));
        assertEquals(sampler, activeSource("thread-pool-executor"));
        assertEquals(sampler, activeSource("fork-join-executor"));
    }
}
