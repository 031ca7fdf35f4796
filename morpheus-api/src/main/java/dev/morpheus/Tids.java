package dev.morpheus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel thread id of the calling thread, which the JDK does not expose before JDK 19's
 * thread ids (and those are not kernel tids). On Linux {@code /proc/thread-self} is a link to
 * {@code <pid>/task/<tid>}; elsewhere there is no tid and 0 is returned.
 */
final class Tids {
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");

    private Tids() {}

    static int currentTid() {
        try {
            String target = Files.readSymbolicLink(THREAD_SELF).toString();
            return Integer.parseInt(target.substring(target.lastIndexOf('/') + 1));
        } catch (IOException | UnsupportedOperationException | NumberFormatException e) {
            return 0;
        }
    }
}
