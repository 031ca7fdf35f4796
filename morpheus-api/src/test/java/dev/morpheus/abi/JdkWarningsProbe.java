package dev.morpheus.abi;

import dev.morpheus.CriticalSection;
import dev.morpheus.Morpheus;
import dev.morpheus.MorpheusConfig;
import dev.morpheus.MorpheusWorker;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a user's program does first, as a main of its own for {@link JdkWarningsTest}, which runs
 * it in a fresh JVM and reads its stderr: opens Morpheus as the README shows (hint-source auto,
 * every hint source's start-up probing), registers the main thread and a second worker thread,
 * runs checkpoints, run marks, a yield and a critical section on both, and closes everything.
 * Prints one line, {@code implementation=<ScbAccess.implementation()>}, on stdout; anything
 * else it or the JDK prints goes where it would for a user.
 */
public final class JdkWarningsProbe {
    private JdkWarningsProbe() {}

    public static void main(String[] args) throws InterruptedException {
        AtomicLong checkpoints = new AtomicLong();
        MorpheusConfig config = args.length > 0 ? MorpheusConfig.builder().socket(args[0]).build() : MorpheusConfig.defaults();
        try (Morpheus morpheus = Morpheus.open(config)) {
            Thread other = new Thread(() -> work(morpheus, "probe-worker", checkpoints), "probe-worker");
            other.start();
            work(morpheus, "probe-main", checkpoints);
            other.join();
        }
        if (checkpoints.get() != 2 * 100_000L) {
            throw new IllegalStateException("probe ran " + checkpoints.get() + " checkpoints, expected " + 2 * 100_000L);
        }
        System.out.println("implementation=" + ScbAccess.implementation());
    }

    private static void work(Morpheus morpheus, String name, AtomicLong checkpoints) {
        MorpheusWorker me = morpheus.registerCurrentThread(name);
        try {
            for (int i = 0; i < 100_000; i++) {
                me.checkpointAndYield();
                if (i % 10_000 == 0) {
                    me.markQuiescing();
                    me.markRunning();
                    me.yieldNow();
                    try (CriticalSection cs = me.critical()) {
                        me.hintWaiting();
                    }
                }
                checkpoints.incrementAndGet();
            }
        } finally {
            me.close();
        }
    }
}
