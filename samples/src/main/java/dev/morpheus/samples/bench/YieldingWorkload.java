package dev.morpheus.samples.bench;

import dev.morpheus.Morpheus;
import dev.morpheus.MorpheusMetrics;
import dev.morpheus.abi.YieldCause;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;

/**
 * One run of the cooperative-yielding workload (seed 000): N always-busy worker actors and one
 * probe actor on one dispatcher; a timer thread pings the probe every probe period. After a
 * warm-up, a measured window counts work units and records probe delays, assignment latencies
 * and per-thread units; then the workers stop and every ping sent in the window is awaited, so a
 * starved probe shows its real delay instead of disappearing from the statistics.
 */
final class YieldingWorkload {
    private YieldingWorkload() {}

    static RunResult run(Options o, Mode mode, int workers) throws InterruptedException {
        return run(o, mode, workers, mode.dispatcherConfig(o));
    }

    /**
     * One run with an explicit {@code bench-dispatcher} section (the Pareto suite's points);
     * {@code mode} names the row and says whether Morpheus is involved.
     */
    static RunResult run(Options o, Mode mode, int workers, String dispatcherSection) throws InterruptedException {
        long rounds = WorkUnit.roundsFor(o.unitMicros);
        Morpheus morpheus = null;
        String activeSource = "-";
        if (mode.direct()) {
            morpheus = MorpheusMode.open(o, mode.hintSource(), "bench-" + mode.hintSource() + "-w" + workers);
            activeSource = morpheus.hintSourceName();
        }
        RunContext ctx = new RunContext(o, mode, rounds, morpheus, workers);
        if (morpheus != null) {
            morpheus.addPendingWorkGauge(ctx.queued::get);
        }
        Machine.resetPeakRss();
        long t0 = System.nanoTime();
        ActorSystem system = PekkoSystems.start("bench", dispatcherSection);
        double startupMs = (System.nanoTime() - t0) / 1e6;

        long periodNs = o.probeMillis * 1_000_000L;
        long totalNs = (long) ((o.warmupS + o.durationS) * 1e9);
        int cap = (int) (totalNs / periodNs) + 64;
        long[] sent = new long[cap];
        AtomicLongArray received = new AtomicLongArray(cap);
        AtomicInteger nextSeq = new AtomicInteger();

        ActorRef probe = system.actorOf(ProbeActor.props(ctx, received, PekkoSystems.DISPATCHER), "probe");
        ActorRef bouncer = system.actorOf(Bouncer.props(ctx, PekkoSystems.DISPATCHER), "bouncer");
        List<ActorRef> actors = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            actors.add(system.actorOf(WorkerActor.props(ctx, i, bouncer, PekkoSystems.DISPATCHER), "worker-" + i));
        }
        for (ActorRef a : actors) {
            ctx.queued.incrementAndGet();
            a.tell(new WorkerActor.Work(System.nanoTime(), true), ActorRef.noSender());
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "probe-timer");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            int seq = nextSeq.get();
            if (seq >= cap) {
                return;
            }
            sent[seq] = System.nanoTime();
            nextSeq.set(seq + 1);
            ctx.queued.incrementAndGet();
            probe.tell(new ProbeActor.Ping(seq), ActorRef.noSender());
        }, periodNs, periodNs, TimeUnit.NANOSECONDS);

        Thread.sleep((long) (o.warmupS * 1000));
        boolean viaDispatcher = mode.morpheus() && !mode.direct();
        if (viaDispatcher) {
            activeSource = MorpheusMode.activeHintSource(system, mode.hintSource());
        }
        Map<YieldCause, Long> yields0 = morpheus != null ? morpheus.metrics().yields()
                : viaDispatcher ? MorpheusMode.yields(system) : Map.of();
        long units0 = sum(ctx.actorUnits);
        long[] perActor0 = snapshot(ctx.actorUnits);
        int firstSeq = nextSeq.get();
        long windowStart = System.nanoTime();
        ctx.measuring = true;
        Thread.sleep((long) (o.durationS * 1000));
        ctx.measuring = false;
        long windowEnd = System.nanoTime();
        int lastSeq = nextSeq.get();
        long units1 = sum(ctx.actorUnits);
        long[] perActor1 = snapshot(ctx.actorUnits);
        Map<YieldCause, Long> yields1 = morpheus != null ? morpheus.metrics().yields()
                : viaDispatcher ? MorpheusMode.yields(system) : Map.of();
        String morpheusRuntimeMode = morpheus != null ? morpheus.mode().name()
                : viaDispatcher ? MorpheusMode.runtimeMode(system) : "-";

        // Stop: workers stop re-sending; wait for all of them and for every ping of the window.
        ctx.stopping = true;
        timer.shutdownNow();
        if (!ctx.finished.await(60, TimeUnit.SECONDS)) {
            System.err.println("warning: not all workers stopped within 60 s");
        }
        long giveUp = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < giveUp && !allReceived(received, firstSeq, lastSeq)) {
            Thread.sleep(5);
        }
        long stoppedAt = System.nanoTime();
        long peakRss = Machine.peakRssKb();
        double loadAvg = Machine.loadAvg1m();
        PekkoSystems.stop(system);
        if (morpheus != null) {
            morpheus.close();
        }

        LongList probeDelays = new LongList();
        int late = 0;
        for (int s = firstSeq; s < lastSeq; s++) {
            long r = received.get(s);
            if (r == 0) {
                r = stoppedAt;
            }
            if (r > windowEnd) {
                late++;
            }
            probeDelays.add(r - sent[s]);
        }
        long[] pd = probeDelays.sorted();
        LongList assignAll = new LongList();
        for (LongList l : ctx.assignLatencies) {
            assignAll.addAll(l);
        }
        long[] as = assignAll.sorted();
        long[] perActor = new long[workers];
        for (int i = 0; i < workers; i++) {
            perActor[i] = perActor1[i] - perActor0[i];
        }
        List<Long> perThread = new ArrayList<>();
        long switches = 0;
        for (RunContext.ThreadStats t : ctx.threads) {
            if (t.units > 0) {
                perThread.add(t.units);
            }
            switches += t.switches;
        }
        long[] pt = perThread.stream().mapToLong(Long::longValue).toArray();
        double window = (windowEnd - windowStart) / 1e9;
        long units = units1 - units0;

        Map<String, Long> yields = new LinkedHashMap<>();
        if (mode.morpheus()) {
            for (YieldCause c : YieldCause.values()) {
                long n = yields1.getOrDefault(c, 0L) - yields0.getOrDefault(c, 0L);
                yields.put(c.name(), n);
            }
        } else {
            String cause = switch (mode.name()) {
                case "naive" -> "VOLUNTARY";
                case "deadline" -> "DEADLINE";
                default -> "BUDGET";
            };
            yields.put(cause, switches);
        }
        return new RunResult(mode.label(), mode.hintSourceLabel(activeSource), workers, o.threads, window, units,
                units / window, Stats.ms(Stats.percentile(pd, 50)), Stats.ms(Stats.percentile(pd, 99)),
                Stats.ms(Stats.percentile(pd, 99.9)), Stats.ms(Stats.max(pd)),
                pd.length, late, Stats.ms(Stats.percentile(as, 50)), Stats.ms(Stats.percentile(as, 99)),
                Stats.jain(perActor), Stats.jain(pt), yields, switches, startupMs, peakRss, morpheusRuntimeMode, loadAvg);
    }

    private static boolean allReceived(AtomicLongArray received, int from, int to) {
        for (int s = from; s < to; s++) {
            if (received.get(s) == 0) {
                return false;
            }
        }
        return true;
    }

    private static long sum(AtomicLongArray a) {
        long s = 0;
        for (int i = 0; i < a.length(); i++) {
            s += a.get(i);
        }
        return s;
    }

    private static long[] snapshot(AtomicLongArray a) {
        long[] r = new long[a.length()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i);
        }
        return r;
    }
}
