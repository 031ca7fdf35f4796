package dev.morpheus.pekko;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import dev.morpheus.hint.ProcfsHintSource;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.Test;

/**
 * What {@code hint-source = auto} picks without morpheusd: on the Morpheus executor none (its
 * wake-up preemption answers the work waiting in this JVM, so no sampler thread is started); on
 * Pekko's executors, which cannot see their queue that way, the best in-process sampler.
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
    void onTheMorpheusExecutorAutoWithoutADaemonIsNone() {
        assertEquals("none", activeSource("morpheus-executor"));
    }

    @Test
    void onPekkosExecutorsAutoWithoutADaemonIsAnInProcessSampler() {
        String sampler = ProcfsHintSource.unavailableReason().isEmpty() ? "procfs" : "queue";
        assertEquals(sampler, activeSource("thread-pool-executor"));
        assertEquals(sampler, activeSource("fork-join-executor"));
    }
}
