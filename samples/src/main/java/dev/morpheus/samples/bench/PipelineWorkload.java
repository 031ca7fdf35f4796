package dev.morpheus.samples.bench;

import dev.morpheus.Morpheus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;

/**
 * Pipelines (seed 003's scenarios as actors): a source keeps a window of items in flight through
 * a chain of stage actors to a sink that acknowledges each item. 3 stages: PassThrough →
 * Calculator → PassThrough; 5 stages: PassThrough → Calculator → Critical → Calculator →
 * PassThrough, where the Critical stage computes inside a Morpheus critical section (a no-op on
 * threads that are not Morpheus workers). 1 or 10 pipelines share the dispatcher. Measures
 * per-item latency (emit to sink), items/s, ActorSystem start-up time and peak RSS, and keeps
 * a checksum of every output so dispatchers can be checked to compute identical results.
 */
final class PipelineWorkload {
    private PipelineWorkload() {}

    static final int WINDOW = 16;
    static final double CALC_US = 25;
    static final double CRITICAL_US = 50;

    record Item(int id, long value, long emitNanos) {}

    record Ack(int id) {}

    enum Kind { PASS, CALC, CRITICAL }

    static final class Stage extends AbstractActor {
        private final Kind kind;
        private final ActorRef next;
        private final long calcRounds;
        private final long critRounds;

        Stage(Kind kind, ActorRef next, long calcRounds, long critRounds) {
            this.kind = kind;
            this.next = next;
            this.calcRounds = calcRounds;
            this.critRounds = critRounds;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder().match(Item.class, it -> {
                long v = it.value();
                switch (kind) {
                    case CALC -> v = WorkUnit.spin(v, calcRounds);
                    case CRITICAL -> {
                        try (var cs = Morpheus.critical()) {
                            v = WorkUnit.spin(v ^ 0x9E3779B97F4A7C15L, critRounds);
                        }
                    }
                    default -> { }
                }
                next.tell(new Item(it.id(), v, it.emitNanos()), getSender());
            }).build();
        }
    }

    static final class Sink extends AbstractActor {
        private final long[] out;
        private final LongList latencies;

        Sink(long[] out, LongList latencies) {
            this.out = out;
            this.latencies = latencies;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder().match(Item.class, it -> {
                out[it.id()] = it.value();
                latencies.add(System.nanoTime() - it.emitNanos());
                getSender().tell(new Ack(it.id()), getSelf());
            }).build();
        }
    }

    static final class Source extends AbstractActor {
        private final ActorRef first;
        private final int items;
        private final CountDownLatch done;
        private int emitted;
        private int acked;

        Source(ActorRef first, int items, CountDownLatch done) {
            this.first = first;
            this.items = items;
            this.done = done;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .matchEquals("start", s -> {
                        for (int i = 0; i < WINDOW && emitted < items; i++) {
                            emit();
                        }
                    })
                    .match(Ack.class, a -> {
                        acked++;
                        if (emitted < items) {
                            emit();
                        } else if (acked == items) {
                            done.countDown();
                        }
                    }).build();
        }

        private void emit() {
            first.tell(new Item(emitted, emitted * 31L + 7, System.nanoTime()), getSelf());
            emitted++;
        }
    }

    static Map<String, Object> run(Options o, Mode mode, int stages, int pipelines) throws InterruptedException {
        long calcRounds = WorkUnit.roundsFor(CALC_US);
        long critRounds = WorkUnit.roundsFor(CRITICAL_US);
        Morpheus morpheus = null;
        if (mode.direct()) {
            morpheus = MorpheusMode.open(o, mode.hintSource(), "pipeline-" + mode.hintSource());
        }
        Machine.resetPeakRss();
        long t0 = System.nanoTime();
        ActorSystem system = PekkoSystems.start("pipelines", mode.dispatcherConfig(o));
        double startupMs = (System.nanoTime() - t0) / 1e6;
        int items = o.pipelineItems;
        CountDownLatch done = new CountDownLatch(pipelines);
        List<long[]> outs = new ArrayList<>();
        List<LongList> lats = new ArrayList<>();
        List<ActorRef> sources = new ArrayList<>();
        Kind[] chain = stages == 3 ? new Kind[] {Kind.PASS, Kind.CALC, Kind.PASS}
                : new Kind[] {Kind.PASS, Kind.CALC, Kind.CRITICAL, Kind.CALC, Kind.PASS};
        String d = PekkoSystems.DISPATCHER;
        for (int p = 0; p < pipelines; p++) {
            long[] out = new long[items];
            LongList lat = new LongList();
            outs.add(out);
            lats.add(lat);
            ActorRef next = system.actorOf(Props.create(Sink.class, () -> new Sink(out, lat)).withDispatcher(d), "sink-" + p);
            for (int s = chain.length - 1; s >= 0; s--) {
                Kind k = chain[s];
                ActorRef n = next;
                next = system.actorOf(Props.create(Stage.class, () -> new Stage(k, n, calcRounds, critRounds)).withDispatcher(d),
                        "p" + p + "-s" + s + "-" + k.name().toLowerCase());
            }
            ActorRef first = next;
            sources.add(system.actorOf(Props.create(Source.class, () -> new Source(first, items, done)).withDispatcher(d),
                    "source-" + p));
        }
        long start = System.nanoTime();
        for (ActorRef s : sources) {
            s.tell("start", ActorRef.noSender());
        }
        boolean complete = done.await(300, TimeUnit.SECONDS);
        long ns = System.nanoTime() - start;
        long peak = Machine.peakRssKb();
        PekkoSystems.stop(system);
        if (morpheus != null) {
            morpheus.close();
        }
        LongList all = new LongList();
        long checksum = 1;
        for (int p = 0; p < pipelines; p++) {
            all.addAll(lats.get(p));
            for (long v : outs.get(p)) {
                checksum = checksum * 1_000_003L + v;
            }
        }
        long[] sorted = all.sorted();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("scenario", stages + "-stage x" + pipelines);
        row.put("stages", stages);
        row.put("pipelines", pipelines);
        row.put("dispatcher", mode.label());
        row.put("items", (long) items * pipelines);
        row.put("items_per_s", items * (double) pipelines / (ns / 1e9));
        row.put("latency_p50_ms", Stats.ms(Stats.percentile(sorted, 50)));
        row.put("latency_p95_ms", Stats.ms(Stats.percentile(sorted, 95)));
        row.put("latency_p99_ms", Stats.ms(Stats.percentile(sorted, 99)));
        row.put("startup_ms", startupMs);
        row.put("peak_rss_mb", peak < 0 ? -1 : peak / 1024.0);
        row.put("checksum", Long.toHexString(checksum));
        row.put("complete", complete);
        return row;
    }
}
