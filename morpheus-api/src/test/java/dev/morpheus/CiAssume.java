package dev.morpheus;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * The only way a test of this project may skip itself. On a developer's machine a missing
 * prerequisite (no root, no procfs schedstat, libmorpheus not built) skips the test with the
 * reason; with {@code CI=true} the same call fails it, so CI never passes by skipping.
 * {@code CiAssumeGuardTest} fails the build if any test calls JUnit's assumptions directly.
 */
public final class CiAssume {
    private CiAssume() {}

    /** Whether this run is CI ({@code CI=true}): every skip is a failure. */
    public static boolean ci() {
        return "true".equals(System.getenv("CI"));
    }

    /** Skips the calling test (fails it under CI=true) unless {@code condition} holds. */
    public static void require(boolean condition, String why) {
        if (condition) {
            return;
        }
        if (ci()) {
            fail("CI=true: this test cannot be skipped: " + why);
        }
        Assumptions.abort(why);
    }
}
