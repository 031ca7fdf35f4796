package dev.morpheus.samples.bench;

import dev.morpheus.Morpheus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;

/**
 * Scaling (seed 002): a fixed amount of work split evenly over N worker actors on one
 * dispatcher; the time until the last unit is done gives throughput, speedup over one worker
 * and parallel efficiency (per worker, and per usable core: min(N, pool threads)).
 */
final class ScalingWorkload {
    private ScalingWorkload() {}

    static Map<String, Object> run(Options o, Mode mode, int workers) throws InterruptedException {
        long rounds = WorkUnit.roundsFor(o.unitMicros);
        Morpheus morpheus = null;
        String source = "-";
        if (mode.direct()) {
            morpheus = MorpheusMode.open(o, mode.hintSource(), "scaling-" + mode.hintSource() + "-w" + workers);
            source = morpheus.hintSourceName();
        }
        RunContext ctx = new RunContext(o, mode, rounds, morpheus, workers);
        ctx.quota = Math.max(1, o.scalingUnits / workers);
        if (morpheus != null) {
            morpheus.addPendingWorkGauge(ctx.queued::get);
        }
        ActorSystem system = PekkoSystems.start("scaling", mode.dispatcherConfig(o));
        ActorRef bouncer = system.actorOf(Bouncer.props(ctx, PekkoSystems.DISPATCHER), "bouncer");
        ActorRef[] actors = new ActorRef[workers];
        for (int i = 0; i < workers; i++) {
            actors[i] = system.actorOf(WorkerActor.props(ctx, i, bouncer, PekkoSystems.DISPATCHER), "worker-" + i);
        }
        ctx.measuring = true;
        long start = System.nanoTime();
        for (ActorRef a : actors) {
            ctx.queued.incrementAndGet();
            a.tell(new WorkerActor.Work(System.nanoTime(), true), ActorRef.noSender());
        }
        boolean complete = ctx.finished.await(300, TimeUnit.SECONDS);
        long ns = System.nanoTime() - start;
        if (mode.morpheus() && !mode.direct()) {
            source = MorpheusMode.activeHintSource(system, mode.hintSource());
        }
        ctx.measuring = false;
        PekkoSystems.stop(system);
        if (morpheus != null) {
            morpheus.close();
        }
        long units = ctx.quota * workers;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("mode", mode.label());
        row.put("hint_source", mode.hintSourceLabel(source));
        row.put("workers", workers);
        row.put("pool_threads", o.threads);
        row.put("units", units);
        row.put("time_s", ns / 1e9);
        row.put("throughput_per_s", units / (ns / 1e9));
        row.put("complete", complete);
        return row;
    }
}
