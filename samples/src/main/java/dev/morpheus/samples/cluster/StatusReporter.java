package dev.morpheus.samples.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Logs one status line per node every {@code status-interval}:
 * <pre>
 * status 127.0.0.1:25251 members=3 [127.0.0.1:25251 Up, ...] shards={127.0.0.1:25251=4, ...}
 *   jobs executed=812 (+40) submitted=800 completed=796 dup=0 ledger=270 probe p50=0.08ms p99=1.90ms
 *   morpheus hint-source=procfs mode=... yields{hint=12, budget=3, ...}
 * </pre>
 * "shards" is the job entity type's shard count per member as the coordinator reports it.
 */
public final class StatusReporter {
    interface Command {
    }

    private enum Tick implements Command { INSTANCE }

    private record Stats(ShardRegion.ClusterShardingStats stats) implements Command {
    }

    private StatusReporter() {
    }

    public static Behavior<Command> create(SampleSettings settings, NodeStats stats) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            ctx.setLoggerName(StatusReporter.class);
            timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.statusInterval());
            long[] lastExecuted = {0};
            Duration askTimeout = settings.statusInterval().compareTo(Duration.ofSeconds(3)) < 0
                    ? settings.statusInterval() : Duration.ofSeconds(3);
            return Behaviors.receive(Command.class)
                    .onMessageEquals(Tick.INSTANCE, () -> {
                        ClusterSharding.get(ctx.getSystem()).shardState().tell(new GetClusterShardingStats(
                                JobEntity.TYPE_KEY, askTimeout, ctx.messageAdapter(ShardRegion.ClusterShardingStats.class, Stats::new)));
                        return Behaviors.same();
                    })
                    .onMessage(Stats.class, s -> {
                        long executed = stats.jobsExecuted();
                        ctx.getLog().info(line(ctx, settings, stats, s.stats(), executed - lastExecuted[0]));
                        lastExecuted[0] = executed;
                        return Behaviors.same();
                    })
                    .build();
        }));
    }

    static String line(ActorContext<?> ctx, SampleSettings settings, NodeStats stats, ShardRegion.ClusterShardingStats shards,
                       long executedSinceLast) {
        Cluster cluster = Cluster.get(ctx.getSystem());
        StringJoiner members = new StringJoiner(", ", "[", "]");
        Iterable<Member> all = cluster.state().getMembers();
        long count = StreamSupport.stream(all.spliterator(), false).count();
        for (Member m : all) {
            members.add(NodeNames.of(m.address()) + " " + m.status());
        }
        Map<String, Integer> perNode = new TreeMap<>();
        shards.getRegions().forEach((address, region) -> perNode.put(NodeNames.of(address), region.getStats().size()));
        LatencyWindow.Summary p = stats.probe();
        return String.format("status %s members=%d %s shards=%s jobs executed=%d (+%d) submitted=%d completed=%d dup=%d "
                        + "ledger=%d probe p50=%.2fms p99=%.2fms max=%.2fms %s",
                NodeNames.of(ctx.getSystem().address()), count, members, perNode, stats.jobsExecuted(), executedSinceLast,
                stats.jobsSubmitted(), stats.jobsCompleted(), stats.duplicateCompletions(), stats.ledgerRecords(),
                p.p50Nanos() / 1e6, p.p99Nanos() / 1e6, p.maxNanos() / 1e6,
                MorpheusStatus.describe(ctx.getSystem(), settings.appDispatcher()));
    }
}
