package dev.morpheus.pekko;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.morpheus.WorkerMetrics;
import dev.morpheus.abi.RuntimeMode;
import dev.morpheus.abi.YieldCause;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.dispatch.Dispatchers;

/**
 * The Pekko dispatcher on real kernel hints in the VM: an ActorSystem whose actors run on
 * Morpheus dispatchers with {@code hint-source = kernel}, against morpheusd running scx_morpheus
 * {@code --enforce --escalation kick}, with CPU hogs on both CPUs (the test script starts them).
 * Three dispatchers, one pool thread each, so each kernel worker is one actor's:
 * <ul>
 *   <li><b>batch</b>: an actor with a long mailbox of short messages (spins of
 *       {@code BATCH_SPIN_US}). The kernel's hints cut its batches at message boundaries
 *       (batchesCutByHint &gt; 0), its dispatcher is PRESSURED when it finishes, and every
 *       message arrives once and in order;</li>
 *   <li><b>critical</b>: a critical actor with a long mailbox of 1 ms messages. Its batch is
 *       one critical section; past the JVM's max-critical (below the daemon's) a waiting hint
 *       ends the batch, so it answers before the kernel's bound: never escalated from its first
 *       message to its last (its SCB's escalation count read at both; before its first message
 *       the actor is created outside any section, which under TCG can outlast the grace);</li>
 *   <li><b>liar</b>: one message that spins {@code LIAR_SPIN_MS} without a checkpoint (it
 *       ignores hints): escalated after the daemon's grace, and the JVM goes on (its next
 *       message still runs, and the escalation is answered there).</li>
 * </ul>
 * Escalations are read from each dispatcher's yield ledger: a worker that finds the SCB's
 * escalation count moved answers with {@link YieldCause#ESCALATION_RECOVERY}.
 *
 * In observer mode (morpheusd without {@code --enforce}) the same run, and nobody is escalated.
 * Also reported: the wall-clock delay from the kernel's post ({@code hint_time_ns}, CLOCK_MONOTONIC)
 * to the batch actor's worker answering at its checkpoint, mean and max (asserted loosely:
 * positive, under a second on average).
 *
 *   java -cp CP dev.morpheus.pekko.VmPekkoKernelHints SOCKET TIMEOUT_S enforced|observer
 * Prints one line "jvm-pekko: ..." and exits 0 on success, 1 otherwise.
 */
public final class VmPekkoKernelHints {
    static final int BATCH_MESSAGES = 3000;
    static final long BATCH_SPIN_US = 200;
    static final int CRITICAL_MESSAGES = 600;
    static final long LIAR_SPIN_MS = 1500;

    record Work(int seq) {}

    /** A counter's report: what it received, and its dispatcher's mode when it finished (still under load). */
    record Done(String who, int received, int outOfOrder, RuntimeMode mode, long escalationsWhileRunning,
                long meanAnswerNanos, long maxAnswerNanos) {}

    static void spinMicros(long us) {
        long until = System.nanoTime() + us * 1000;
        while (System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
    }

    /** Counts Work messages, checks their order, reports after {@code expected} of them. */
    public static class Counter extends AbstractActor {
        private final String who;
        private final int expected;
        private final long spinUs;
        private final ActorRef report;
        private int received;
        private int outOfOrder;
        private long escalationsAtFirst;

        public Counter(String who, int expected, long spinUs, ActorRef report) {
            this.who = who;
            this.expected = expected;
            this.spinUs = spinUs;
            this.report = report;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder().match(Work.class, w -> {
                if (w.seq() != received) {
                    outOfOrder++;
                }
                if (received == 0) {
                    escalationsAtFirst = escalations();
                }
                received++;
                spinMicros(spinUs);
                if (received == expected) {
                    RuntimeMode mode = ((MorpheusDispatcher) getContext().getDispatcher()).stats().mode();
                    WorkerMetrics m = dev.morpheus.Morpheus.currentWorker().metrics();
                    report.tell(new Done(who, received, outOfOrder, mode, m.escalations() - escalationsAtFirst,
                            m.meanAnswerNanos(), m.maxAnswerNanos()), self());
                }
            }).build();
        }
    }

    /**
     * The kernel's escalations of this pool thread so far (its SCB's count): read at the first and
     * the last message, inside the actor's batches (for a critical actor: inside its critical
     * sections), so what happened before its first message (actor creation, class loading, both
     * outside any section and slow under TCG) does not count.
     */
    static long escalations() {
        return dev.morpheus.Morpheus.currentWorker().metrics().escalations();
    }

    /** The same counter as a critical actor: each of its batches is one critical section. */
    public static final class CriticalCounter extends Counter implements CriticalActor {
        public CriticalCounter(String who, int expected, long spinUs, ActorRef report) {
            super(who, expected, spinUs, report);
        }
    }

    /** Collects the three reports. */
    public static final class Reports extends AbstractActor {
        private final List<Done> done;
        private final CountDownLatch latch;

        public Reports(List<Done> done, CountDownLatch latch) {
            this.done = done;
            this.latch = latch;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder().match(Done.class, d -> {
                synchronized (done) {
                    done.add(d);
                }
                latch.countDown();
            }).build();
        }
    }

    static String dispatcher(String socket, String maxCritical) {
        return """
                {
                  type = "dev.morpheus.pekko.MorpheusDispatcherConfigurator"
                  morpheus-executor { parallelism-min = 1, parallelism-max = 1 }
                  morpheus { hint-source = kernel, socket = "%s", slice = 5ms, max-critical = %s, jmx = off }
                }
                """.formatted(socket, maxCritical);
    }

    public static void main(String[] args) throws Exception {
        String socket = args[0];
        long timeoutS = Long.parseLong(args[1]);
        boolean enforced = switch (args[2]) {
            case "enforced" -> true;
            case "observer" -> false;
            default -> throw new IllegalArgumentException("mode '" + args[2] + "': want enforced or observer");
        };
        // The JVM's max-critical (150 ms) below the daemon's (--max-critical-ms 300): the
        // critical batch answers its hint at the JVM's bound, before the kernel's.
        Config config = ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                pekko.log-dead-letters = off
                vm-batch = %s
                vm-critical = %s
                vm-liar = %s
                """.formatted(dispatcher(socket, "150ms"), dispatcher(socket, "150ms"), dispatcher(socket, "150ms")))
                .withFallback(ConfigFactory.load());
        ActorSystem system = ActorSystem.create("vm-pekko", config);
        boolean ok;
        String line;
        try {
            List<Done> done = new ArrayList<>();
            CountDownLatch all = new CountDownLatch(3);
            ActorRef reports = system.actorOf(Props.create(Reports.class, done, all), "reports");
            ActorRef batch = system.actorOf(Props.create(Counter.class, "batch", BATCH_MESSAGES, BATCH_SPIN_US, reports)
                    .withDispatcher("vm-batch"), "batch");
            ActorRef critical = system.actorOf(Props.create(CriticalCounter.class, "critical", CRITICAL_MESSAGES, 1000L, reports)
                    .withDispatcher("vm-critical"), "critical");
            ActorRef liar = system.actorOf(Props.create(Counter.class, "liar", 2, LIAR_SPIN_MS * 1000, reports)
                    .withDispatcher("vm-liar"), "liar");
            for (int i = 0; i < BATCH_MESSAGES; i++) {
                batch.tell(new Work(i), ActorRef.noSender());
            }
            for (int i = 0; i < CRITICAL_MESSAGES; i++) {
                critical.tell(new Work(i), ActorRef.noSender());
            }
            liar.tell(new Work(0), ActorRef.noSender());
            liar.tell(new Work(1), ActorRef.noSender()); // its checkpoint answers the escalation
            boolean finished = all.await(timeoutS, TimeUnit.SECONDS);
            Dispatchers ds = system.dispatchers();
            MorpheusDispatcherStats b = ((MorpheusDispatcher) ds.lookup("vm-batch")).stats();
            MorpheusDispatcherStats c = ((MorpheusDispatcher) ds.lookup("vm-critical")).stats();
            MorpheusDispatcherStats l = ((MorpheusDispatcher) ds.lookup("vm-liar")).stats();
            int lost = 0;
            int disorder = 0;
            RuntimeMode batchMode = null;
            long criticalEscalations = -1;
            long answerMean = -1;
            long answerMax = -1;
            synchronized (done) {
                for (Done d : done) {
                    if (d.who().equals("batch")) {
                        batchMode = d.mode();
                        answerMean = d.meanAnswerNanos();
                        answerMax = d.maxAnswerNanos();
                    } else if (d.who().equals("critical")) {
                        criticalEscalations = d.escalationsWhileRunning();
                    }
                    int want = switch (d.who()) { case "batch" -> BATCH_MESSAGES; case "critical" -> CRITICAL_MESSAGES; default -> 2; };
                    lost += want - d.received();
                    disorder += d.outOfOrder();
                }
            }
            long escBatch = b.yields(YieldCause.ESCALATION_RECOVERY);
            long escCritical = c.yields(YieldCause.ESCALATION_RECOVERY);
            long escLiar = l.yields(YieldCause.ESCALATION_RECOVERY);
            boolean escalationsRight = enforced ? criticalEscalations == 0 && escLiar >= 1
                    : escBatch + escCritical + escLiar == 0 && criticalEscalations == 0;
            ok = finished && lost == 0 && disorder == 0
                    && "kernel".equals(b.hintSource()) && b.batchesCutByHint() > 0 && batchMode == RuntimeMode.PRESSURED
                    && c.actorsCritical() == 1 && escalationsRight && answerMean > 0 && answerMean < 1_000_000_000L;
            line = String.format("jvm-pekko: finished=%s lost=%d out_of_order=%d source=%s mode=%s batch_cut_by_hint=%d"
                            + " batch_hints_answered=%d batch_escalations=%d critical_actors=%d critical_hints_answered=%d"
                            + " critical_escalations_in_sections=%d critical_escalations_answered=%d liar_escalations=%d"
                            + " hint_answer_mean_us=%d hint_answer_max_us=%d ok=%s",
                    finished, lost, disorder, b.hintSource(), batchMode, b.batchesCutByHint(), b.hintsAnswered(), escBatch,
                    c.actorsCritical(), c.hintsAnswered() + c.hintsAnsweredBetweenBatches(), criticalEscalations, escCritical, escLiar,
                    answerMean / 1000, answerMax / 1000, ok);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        System.out.println(line);
        System.exit(ok ? 0 : 1);
    }
}
