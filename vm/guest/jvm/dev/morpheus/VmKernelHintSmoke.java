package dev.morpheus;

import dev.morpheus.abi.HintReason;
import dev.morpheus.abi.ScbAccess;
import dev.morpheus.hint.ScbBinding;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The VM's JVM smoke test: the public API with hint-source = kernel against morpheusd running
 * scx_morpheus. A registered worker spins on CPU 0 beside a hog the test script pinned there;
 * it must receive kernel hints (posted by scx_morpheus's tick or wake-up path), answer them at
 * its checkpoints and yield. In package dev.morpheus, like the module's own tests, to read the
 * hint reason from its binding. Kept tiny: Java under TCG is 10-50x slower than on the host.
 *
 *   java -cp CP dev.morpheus.VmKernelHintSmoke SOCKET WANT_HINTS TIMEOUT_S
 * Prints one line "jvm-smoke: ..." and exits 0 on success, 1 otherwise.
 */
public final class VmKernelHintSmoke {
    public static void main(String[] args) throws Exception {
        String socket = args[0];
        int want = Integer.parseInt(args[1]);
        long timeoutNs = Duration.ofSeconds(Long.parseLong(args[2])).toNanos();
        MorpheusConfig config = MorpheusConfig.builder().hintSource("kernel").socket(socket)
                .slice(Duration.ofMillis(5)).build();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong answered = new AtomicLong();
        AtomicReference<HintReason> reason = new AtomicReference<>(HintReason.NONE);
        AtomicReference<MorpheusWorker> worker = new AtomicReference<>();
        CountDownLatch registered = new CountDownLatch(1);
        try (Morpheus morpheus = Morpheus.open("vm-jvm-smoke", config)) {
            Thread t = new Thread(() -> {
                MorpheusWorker w = morpheus.registerCurrentThread("vm-spinner");
                worker.set(w);
                w.markRunning();
                registered.countDown();
                long x = 0;
                while (!stop.get()) {
                    for (int i = 0; i < 5_000; i++) {
                        x += i * 31L;
                    }
                    if (w.checkpoint()) {
                        ScbBinding b = w.binding();
                        HintReason r = ScbAccess.hintReason(b.region(), b.scb());
                        if (w.acknowledgeHint() != null) {
                            reason.set(r);
                            answered.incrementAndGet();
                            Thread.yield();
                        }
                    }
                }
                if (x == 42) {
                    System.out.print("");
                }
                w.close();
            }, "vm-spinner");
            t.start();
            registered.await();
            MorpheusWorker w = worker.get();
            int pin = new ProcessBuilder("taskset", "-pc", "0", String.valueOf(w.tid())).inheritIO().start().waitFor();
            long start = System.nanoTime();
            while (answered.get() < want && System.nanoTime() - start < timeoutNs) {
                Thread.sleep(100);
            }
            stop.set(true);
            t.join();
            boolean ok = "kernel".equals(morpheus.hintSourceName()) && w.managed() && pin == 0
                    && answered.get() >= want
                    && (reason.get() == HintReason.SLICE_EXPIRED || reason.get() == HintReason.RUNQ_PRESSURE);
            System.out.printf("jvm-smoke: source=%s managed=%s pinned=%s hints_answered=%d last_reason=%s mode=%s seconds=%.1f ok=%s%n",
                    morpheus.hintSourceName(), w.managed(), pin == 0, answered.get(), reason.get(), morpheus.mode(),
                    (System.nanoTime() - start) / 1e9, ok);
            System.exit(ok ? 0 : 1);
        }
    }
}
