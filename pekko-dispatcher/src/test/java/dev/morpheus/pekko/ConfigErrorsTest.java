package dev.morpheus.pekko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.morpheus.MorpheusConfigException;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad value fails the dispatcher's creation with a message naming the dispatcher, key, value and range. */
class ConfigErrorsTest {
    private static ActorSystem system;

    @BeforeAll
    static void start() {
        Config bad = ConfigFactory.parseString("""
                base { type = "dev.morpheus.pekko.MorpheusDispatcherConfigurator" }
                zero-batch = ${base} { morpheus.max-batch = 0 }
                word-batch = ${base} { morpheus.max-batch = lots }
                short-slice = ${base} { morpheus.slice = 50us }
                bad-source = ${base} { morpheus.hint-source = psychic }
                unknown-key = ${base} { morpheus.max-batches = 10 }
                empty-tag = ${base} { morpheus.critical-tag = "" }
                bad-jmx = ${base} { morpheus.jmx = maybe }
                affinity = ${base} { executor = affinity-pool-executor }
                tp-fixed = ${base} { executor = thread-pool-executor, thread-pool-executor.fixed-pool-size = 0 }
                tp-queue = ${base} { executor = thread-pool-executor, thread-pool-executor.task-queue-type = fifo }
                me-min = ${base} { morpheus-executor.parallelism-min = 0 }
                me-order = ${base} { morpheus-executor { parallelism-min = 8, parallelism-max = 4 } }
                me-factor = ${base} { morpheus-executor.parallelism-factor = -1 }
                me-keep = ${base} { morpheus-executor.keep-alive-time = 0s }
                me-cut = ${base} { morpheus-executor.cut-max-wait = 10us }
                me-quota = ${base} { morpheus-executor.limit-to-cpu-quota = maybe }
                virtual = ${base} { executor = fork-join-executor, fork-join-executor.virtualize = on }
                not-object = ${base} { morpheus = 5 }
                """).resolve();
        system = ActorSystem.create("ConfigErrorsTest", bad.withFallback(TestSupport.CONFIG).withFallback(ConfigFactory.load()));
    }

    @AfterAll
    static void stop() {
        TestKit.shutdownActorSystem(system);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "zero-batch  | morpheus.max-batch     | 0                       | between 1 and 1000000",
        "word-batch  | morpheus.max-batch     | lots                    | between 1 and 1000000",
        "short-slice | morpheus.slice         | 50us                    | between 100us and 1s",
        "bad-source  | morpheus.hint-source   | psychic                 | auto, kernel, procfs, queue, manual, none",
        "unknown-key | morpheus.max-batches   | 10                      | valid keys: [max-batch",
        "empty-tag   | morpheus.critical-tag  | \"\"                    | non-empty",
        "bad-jmx     | morpheus.jmx           | maybe                   | on or off",
        "affinity    | executor               | affinity-pool-executor  | must be morpheus-executor (the default), thread-pool-executor or fork-join-executor",
        "tp-fixed    | thread-pool-executor.fixed-pool-size | 0         | off or an integer of at least 1",
        "tp-queue    | thread-pool-executor.task-queue-type | fifo      | linked or array",
        "virtual     | fork-join-executor.virtualize | on               | must be off",
        "me-min      | morpheus-executor.parallelism-min | 0            | between 1 and 32767",
        "me-order    | morpheus-executor.parallelism-min | 8            | must not exceed parallelism-max (4)",
        "me-factor   | morpheus-executor.parallelism-factor | -1.0      | above 0, at most 1024",
        "me-keep     | morpheus-executor.keep-alive-time | 0s           | 1ms - 1d",
        "me-cut      | morpheus-executor.cut-max-wait | 10us            | 100us - 10s",
        "me-quota    | morpheus-executor.limit-to-cpu-quota | maybe       | on or off",
        "not-object  | morpheus               | 5                       | must be an object",
    })
    void aBadValueIsRejectedWithDispatcherKeyValueAndRange(String id, String key, String value, String range) {
        Throwable t = assertThrows(RuntimeException.class, () -> system.dispatchers().lookup(id));
        MorpheusConfigException e = find(t);
        String msg = e.getMessage();
        assertTrue(msg.startsWith(id + ": "), "names the dispatcher: " + msg);
        assertTrue(msg.contains(key + " = " + value), "names key and value: " + msg);
        assertTrue(msg.contains(range), "names the allowed range: " + msg);
        assertEquals(value, e.value());
    }

    private static MorpheusConfigException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof MorpheusConfigException m) {
                return m;
            }
        }
        throw new AssertionError("no MorpheusConfigException in the cause chain", t);
    }
}
