package dev.morpheus.samples.cluster;

import java.time.Duration;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.ActorTags;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

/**
 * Wiring of one node of the cluster sample: the two sharded entity types and the per-node actors.
 *
 * <p>Dispatcher choice: the sample's own actors (job and ledger entities, probe, producer,
 * status reporter) select the Morpheus dispatcher explicitly through Props whose dispatcher path
 * comes from {@code morpheus-sample.app-dispatcher}; {@code pekko.actor.default-dispatcher} is
 * left stock. Reasons: Pekko's system actors that still live on the default dispatcher (the
 * logger, remoting/cluster helpers, sharding's ask-pattern temporaries) keep the scheduling they
 * were tested with, and some of them require special message queues that a wrapping dispatcher
 * must otherwise special-case; the yields-by-cause ledger then measures the application's work
 * only; and switching the app between Morpheus and a stock dispatcher (for a comparison run) is
 * one line of configuration, with no code change. Cluster internals use
 * {@code pekko.actor.internal-dispatcher} either way.
 */
public final class ClusterSample {
    private ClusterSample() {
    }

    /** The regions of the two entity types, as initialised on one node. */
    public record Regions(ActorRef<ShardingEnvelope<JobEntity.Command>> jobs,
                          ActorRef<ShardingEnvelope<LedgerEntity.Command>> ledgers) {
    }

    /** Props placing an actor on the app dispatcher, tagged critical when {@code critical}. */
    public static Props entityProps(SampleSettings settings, boolean critical) {
        return critical
                ? ActorTags.create(settings.criticalTag()).withDispatcherFromConfig(settings.appDispatcher())
                : Props.empty().withDispatcherFromConfig(settings.appDispatcher());
    }

    /** Starts sharding for the job and ledger entity types on this node (idempotent per system). */
    public static Regions initSharding(ActorSystem<?> system, SampleSettings settings, NodeStats stats) {
        ClusterSharding sharding = ClusterSharding.get(system);
        ActorRef<ShardingEnvelope<JobEntity.Command>> jobs = sharding.init(
                Entity.of(JobEntity.TYPE_KEY, ctx -> JobEntity.create(ctx.getEntityId(), stats))
                        .withEntityProps(entityProps(settings, false)));
        ActorRef<ShardingEnvelope<LedgerEntity.Command>> ledgers = sharding.init(
                Entity.of(LedgerEntity.TYPE_KEY, ctx -> LedgerEntity.create(ctx.getEntityId(), stats))
                        .withEntityProps(entityProps(settings, true)));
        return new Regions(jobs, ledgers);
    }

    /** The guardian of a sample node: sharding, the latency probe, the job producer, the status reporter. */
    public static Behavior<Void> guardian(SampleSettings settings, NodeStats stats) {
        return Behaviors.setup(ctx -> {
            Regions regions = initSharding(ctx.getSystem(), settings, stats);
            Props onApp = entityProps(settings, false);
            ctx.spawn(LatencyProbe.create(settings.probeInterval(), settings.probeWindow(), stats), "latency-probe", onApp);
            if (settings.producerEnabled()) {
                ActorRef<JobProducer.Command> producer =
                        ctx.spawn(JobProducer.create(settings, regions.jobs(), stats), "job-producer", onApp);
                // Before this node leaves (SIGTERM, Ctrl-C, Leave), it stops submitting jobs.
                ActorSystem<Void> system = ctx.getSystem();
                CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "pause-job-producer",
                        () -> AskPattern.<JobProducer.Command, Done>ask(producer, JobProducer.Pause::new,
                                Duration.ofSeconds(3), system.scheduler()));
            }
            ctx.spawn(StatusReporter.create(settings, stats), "status-reporter", onApp);
            return Behaviors.empty();
        });
    }
}
