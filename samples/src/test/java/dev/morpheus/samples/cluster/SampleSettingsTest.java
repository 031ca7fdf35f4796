package dev.morpheus.samples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** cluster.conf's sample block parses, and bad values are rejected naming key, value and range. */
class SampleSettingsTest {

    private static Config with(String override) {
        return ConfigFactory.parseString(override).withFallback(ConfigFactory.load("cluster")).resolve();
    }

    @Test
    void shippedConfigurationIsValidAndUsesTheMorpheusDispatcher() {
        Config config = ConfigFactory.load("cluster");
        SampleSettings s = SampleSettings.from(config);
        assertEquals("morpheus-dispatcher", s.appDispatcher());
        assertEquals("dev.morpheus.pekko.MorpheusDispatcherConfigurator", config.getString("morpheus-dispatcher.type"));
        assertEquals("morpheus-critical", s.criticalTag());
        assertEquals(Duration.ofSeconds(5), s.statusInterval());
        assertEquals("cluster", config.getString("pekko.actor.provider"));
        assertEquals("jackson-cbor",
                config.getString("pekko.actor.serialization-bindings.\"dev.morpheus.samples.cluster.CborSerializable\""));
        assertEquals(1, config.getInt("pekko.cluster.min-nr-of-members"),
                "more than 1 stalls a moved shard coordinator once a node has left");
    }

    @Test
    void criticalTagFollowsTheDispatcher() {
        assertEquals("ledger-critical",
                SampleSettings.from(with("morpheus-dispatcher.morpheus.critical-tag = ledger-critical")).criticalTag());
    }

    @Test
    void outOfRangeValueNamesKeyValueAndRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SampleSettings.from(with("morpheus-sample.producer.jobs-per-tick = 0")));
        assertTrue(e.getMessage().contains("morpheus-sample.producer.jobs-per-tick = 0"), e.getMessage());
        assertTrue(e.getMessage().contains("between 1 and 10000"), e.getMessage());
    }

    @Test
    void malformedDurationNamesKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SampleSettings.from(with("morpheus-sample.probe.interval = soon")));
        assertTrue(e.getMessage().contains("morpheus-sample.probe.interval"), e.getMessage());
        assertTrue(e.getMessage().contains("must be a duration between"), e.getMessage());
    }

    @Test
    void unknownDispatcherPathIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SampleSettings.from(with("morpheus-sample.app-dispatcher = no-such-dispatcher")));
        assertTrue(e.getMessage().contains("morpheus-sample.app-dispatcher = \"no-such-dispatcher\""), e.getMessage());
    }

    @Test
    void latencyWindowPercentiles() {
        LatencyWindow w = new LatencyWindow(100);
        for (int i = 1; i <= 200; i++) {
            w.add(i);
        }
        LatencyWindow.Summary s = w.summary();
        assertEquals(100, s.window());
        assertEquals(200, s.total());
        assertEquals(150, s.p50Nanos());
        assertEquals(199, s.p99Nanos());
        assertEquals(200, s.maxNanos());
    }
}
