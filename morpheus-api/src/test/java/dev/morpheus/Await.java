package dev.morpheus;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The tests' one way to wait for a condition: poll it (every millisecond unless told) until it holds, fail
 * when it has not held within a generous bound. Correctness with a timeout, never a speed
 * assertion.
 *
 * <p>One class for every module's tests: morpheus-api's test-jar carries it (and nothing else
 * of its tests), and pekko-dispatcher, its Scala 3 build and samples depend on that test-jar.
 */
public final class Await {
    private Await() {}

    /** Returns once {@code condition} holds; fails naming {@code what} if it does not within {@code within}. */
    public static void until(String what, Duration within, BooleanSupplier condition) {
        until(what, within, Duration.ofMillis(1), condition);
    }

    /**
     * {@link #until(String, Duration, BooleanSupplier)}, polling every {@code every}: for a
     * condition too costly to ask a thousand times a second (a round trip to a cluster).
     */
    public static void until(String what, Duration within, Duration every, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + within + ": " + what);
            }
            try {
                Thread.sleep(every.toMillis(), every.toNanosPart() % 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }
}
