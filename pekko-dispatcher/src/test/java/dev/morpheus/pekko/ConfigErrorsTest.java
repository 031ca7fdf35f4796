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
                typo-section = ${base} { morpheos { max-batch = 10 } }
                typo-pekko-key = ${base} { shutdown-timout = 2s }
                throughput-set = ${base} { throughput = 0 }
                negative-slice = ${base} { morpheus.slice = -1ms }
                no-unit-grace = ${base} { morpheus.grace = 100 }
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
        "unknown-key | morpheus.max-batches   | 10                      | did you mean max-batch?",
        "typo-section | morpheos              | {\"max-batch\":10}      | did you mean morpheus?",
        "typo-pekko-key | shutdown-timout     | \"2s\"                  | did you mean shutdown-timeout?",
        "throughput-set | throughput          | 0                       | its batch bound is morpheus.max-batch (integer 1 - 1000000)",
        "negative-slice | morpheus.slice      | -1ms                    | must be between 100us and 1s",
        "no-unit-grace | morpheus.grace       | 100                     | with a unit (ns, us, ms, s) between 0ns and 10s",
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

    /** What the user sees first is the Morpheus message, not Pekko's "Cannot instantiate", and only once. */
    @ParameterizedTest
    @CsvSource({ "zero-batch", "typo-section", "throughput-set", "me-min", "not-object" })
    void theTopLevelErrorIsTheMorpheusMessage(String id) {
        Throwable t = assertThrows(RuntimeException.class, () -> system.dispatchers().lookup(id));
        assertTrue(t instanceof MorpheusConfigException, "top level: " + t);
        assertTrue(t.getMessage().startsWith(id + ": "), t.getMessage());
        int times = 0;
        for (Throwable c = t; c != null; c = c.getCause()) {
            times += c.getMessage() != null && c.getMessage().contains(" = ") ? 1 : 0;
        }
        assertEquals(1, times, "the message appears once in the cause chain");
    }

    /**
     * Every range written in reference.conf's {@code defaults { }} comments ("100us - 1s",
     * "Integer 1 - 1000000") is the validator's: both ends are accepted, one step beyond each is
     * refused.
     */
    @org.junit.jupiter.api.Test
    void referenceConfRangesMatchTheValidator() throws java.io.IOException {
        String conf;
        try (java.io.InputStream in = MorpheusDispatcherSettings.class.getResourceAsStream("/reference.conf")) {
            conf = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Config defaults = ConfigFactory.parseString(conf).resolve().getConfig(MorpheusDispatcherSettings.DEFAULTS_PATH);
        java.util.regex.Pattern range = java.util.regex.Pattern.compile(
                "(?<![\\w.])(\\d+(?:\\.\\d+)?)(ns|us|ms|s)? - (\\d+(?:\\.\\d+)?)(ns|us|ms|s)?(?![\\w])");
        java.util.regex.Pattern keyLine = java.util.regex.Pattern.compile("^\\s*([a-z-]+)\\s*=.*");
        String block = conf.substring(conf.indexOf("  defaults {"));
        StringBuilder comment = new StringBuilder();
        int checked = 0;
        for (String line : block.split("\n")) {
            String l = line.trim();
            if (l.startsWith("#")) {
                comment.append(' ').append(l.substring(1));
                continue;
            }
            java.util.regex.Matcher k = keyLine.matcher(line);
            java.util.regex.Matcher r = range.matcher(comment);
            if (k.matches() && r.find()) {
                String key = k.group(1);
                boolean duration = r.group(2) != null || r.group(4) != null;
                long min = nanos(r.group(1), r.group(2), duration);
                long max = nanos(r.group(3), r.group(4), duration);
                String unit = duration ? "ns" : "";
                accepts(defaults, key, min + unit, true);
                accepts(defaults, key, max + unit, true);
                if (min > 0) {
                    accepts(defaults, key, (min - 1) + unit, false);
                }
                accepts(defaults, key, (max + 1) + unit, false);
                checked++;
            }
            if (!l.isEmpty()) {
                comment.setLength(0);
            }
            if (l.equals("}")) {
                break;
            }
        }
        assertTrue(checked >= 8, "ranges found in reference.conf: " + checked);
    }

    private static long nanos(String number, String unit, boolean duration) {
        double n = Double.parseDouble(number);
        if (!duration) {
            return (long) n;
        }
        long scale = unit == null ? 1 : switch (unit) {
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            default -> 1L;
        };
        return Math.round(n * scale);
    }

    private static void accepts(Config defaults, String key, String value, boolean expected) {
        Config section = ConfigFactory.parseString(key + " = \"" + value + "\"");
        boolean ok;
        String why = "";
        try {
            MorpheusDispatcherSettings.from("ranges", section, defaults);
            ok = true;
        } catch (MorpheusConfigException e) {
            ok = false;
            why = e.getMessage();
        }
        assertEquals(expected, ok, "reference.conf's range for " + key + ": " + value + " " + why);
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
