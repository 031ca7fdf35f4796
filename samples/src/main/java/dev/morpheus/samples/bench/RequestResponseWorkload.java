package dev.morpheus.samples.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;

/**
 * One run of Pareto scenario S3, request/response beside CPU-bound background work, on one
 * dispatcher: {@value #PAIRS} query pairs ({@link QueryClient} asks, {@link QueryService}
 * answers after {@value #SERVICE_US} us of work) and {@value ParetoScenario#WORKERS} always-busy
 * {@link WorkerActor}s doing {@code o.unitMicros} us units.
 *
 * <p>Arrivals are open-loop and free of coordinated omission: every query's send time is fixed
 * before the run (client {@code c} sends every {@value #PERIOD_US} us, the clients' phases
 * evenly spread, so a query is due every {@value #PERIOD_US}/{@value #PAIRS} us overall), a
 * driver thread outside the dispatcher tells the client when each query is due (late if it was
 * descheduled, never skipping one), and a query's latency runs from its <em>scheduled</em> send
 * time to its answer's arrival at the client: a slow driver, a client waiting for a thread, a
 * service waiting for one and the answer waiting all count, and a stall does not thin out the
 * samples taken during it.
 *
 * <p>After a warm-up the measured window counts background units and takes every query
 * scheduled in it; then the driver stops, the background workers stop, and every query of the
 * window is awaited (up to 10 s; one still unanswered counts until the moment the wait ended),
 * as the probe of {@link YieldingWorkload} is. Throughput reported is the background work
 * units/s (the queries arrive at a fixed rate, so answered queries/s only shows whether they
 * were all answered; it is reported beside as {@code queries_per_s}).
 */
final class RequestResponseWorkload {
    static final int PAIRS = 8;
    static final int SERVICE_US = 5;
    static final int PERIOD_US = 2_000;

    private RequestResponseWorkload() {}

    static ParetoMeasurement run(Options o, ParetoPoint point) throws InterruptedException {
        long rounds = WorkUnit.roundsFor(o.unitMicros);
        long serviceRounds = WorkUnit.roundsFor(SERVICE_US);
        Mode mode = point.mode();
        int workers = ParetoScenario.WORKERS;
        RunContext ctx = new RunContext(o, mode, rounds, null, workers);
        ActorSystem system = PekkoSystems.start("bench", point.dispatcherSection());

        long gapNs = PERIOD_US * 1000L / PAIRS;
        long totalNs = (long) ((o.warmupS + o.durationS + 0.5) * 1e9); // slack for sleeps that overrun
        int queries = (int) (totalNs / gapNs);
        AtomicLongArray answered = new AtomicLongArray(queries);
        List<ActorRef> clients = new ArrayList<>();
        for (int c = 0; c < PAIRS; c++) {
            ActorRef service = system.actorOf(QueryService.props(serviceRounds, PekkoSystems.DISPATCHER), "service-" + c);
            clients.add(system.actorOf(QueryClient.props(service, answered, PekkoSystems.DISPATCHER), "client-" + c));
        }
        List<ActorRef> actors = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            actors.add(system.actorOf(WorkerActor.props(ctx, i, ActorRef.noSender(), PekkoSystems.DISPATCHER), "worker-" + i));
        }
        for (ActorRef a : actors) {
            a.tell(new WorkerActor.Work(System.nanoTime(), false), ActorRef.noSender());
        }

        // The schedule, fixed in advance: query k is client (k % PAIRS)'s (k / PAIRS)-th.
        long base = System.nanoTime() + 1_000_000L;
        long[] scheduled = new long[queries];
        for (int k = 0; k < queries; k++) {
            scheduled[k] = base + k * gapNs;
        }
        Driver driver = new Driver(scheduled, clients);
        Thread driverThread = new Thread(driver, "query-driver");
        driverThread.setDaemon(true);
        driverThread.start();

        Thread.sleep((long) (o.warmupS * 1000));
        String activeSource = mode.morpheus() ? MorpheusMode.activeHintSource(system, mode.hintSource()) : "-";
        long units0 = sum(ctx.actorUnits);
        long windowStart = System.nanoTime();
        ctx.measuring = true;
        Thread.sleep((long) (o.durationS * 1000));
        ctx.measuring = false;
        long windowEnd = System.nanoTime();
        long units1 = sum(ctx.actorUnits);

        // Stop: the driver sends everything due before the window's end, then the workers stop.
        driver.stopAt = windowEnd;
        driverThread.join(10_000);
        ctx.stopping = true;
        if (!ctx.finished.await(60, TimeUnit.SECONDS)) {
            System.err.println("warning: not all background workers stopped within 60 s");
        }
        int first = firstAtOrAfter(scheduled, windowStart);
        int last = firstAtOrAfter(scheduled, windowEnd);
        long giveUp = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < giveUp && !allAnswered(answered, first, last)) {
            Thread.sleep(5);
        }
        long stoppedAt = System.nanoTime();
        double loadAvg = Machine.loadAvg1m();
        PekkoSystems.stop(system);

        LongList latencies = new LongList();
        int unanswered = 0;
        int late = 0;
        for (int k = first; k < last; k++) {
            long a = answered.get(k);
            if (a == 0) {
                unanswered++;
                a = stoppedAt;
            }
            if (a > windowEnd) {
                late++;
            }
            latencies.add(a - scheduled[k]);
        }
        long[] lat = latencies.sorted();
        double window = (windowEnd - windowStart) / 1e9;
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("background_units", units1 - units0);
        extras.put("queries_per_s", (last - first - unanswered) / window);
        extras.put("queries_offered_per_s", 1e9 / gapNs);
        extras.put("queries", last - first);
        extras.put("queries_answered_after_window", late);
        extras.put("queries_unanswered", unanswered);
        extras.put("driver_max_lag_ms", Stats.ms(driver.maxLagNs));
        extras.put("window_s", window);
        extras.put("load_avg_1m", loadAvg);
        return new ParetoMeasurement(point, activeSource, (units1 - units0) / window, Stats.ms(Stats.percentile(lat, 50)),
                Stats.ms(Stats.percentile(lat, 99)), Stats.ms(Stats.percentile(lat, 99.9)), Stats.ms(Stats.max(lat)), lat.length,
                extras);
    }

    /** Tells each client when its query is due, in schedule order, until the schedule passes stopAt. */
    private static final class Driver implements Runnable {
        private final long[] scheduled;
        private final List<ActorRef> clients;
        volatile long stopAt = Long.MAX_VALUE;
        volatile long maxLagNs;

        Driver(long[] scheduled, List<ActorRef> clients) {
            this.scheduled = scheduled;
            this.clients = clients;
        }

        @Override
        public void run() {
            long maxLag = 0;
            for (int k = 0; k < scheduled.length; k++) {
                long due = scheduled[k];
                long now = System.nanoTime();
                while (now < due) {
                    if (due >= stopAt) {
                        return;
                    }
                    LockSupport.parkNanos(due - now);
                    now = System.nanoTime();
                }
                if (due >= stopAt) {
                    return;
                }
                clients.get(k % PAIRS).tell(new QueryClient.Send(k), ActorRef.noSender());
                maxLag = Math.max(maxLag, now - due);
                maxLagNs = maxLag;
            }
        }
    }

    private static int firstAtOrAfter(long[] sorted, long t) {
        int i = java.util.Arrays.binarySearch(sorted, t);
        return i >= 0 ? i : -i - 1;
    }

    private static boolean allAnswered(AtomicLongArray answered, int from, int to) {
        for (int k = from; k < to; k++) {
            if (answered.get(k) == 0) {
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
}
