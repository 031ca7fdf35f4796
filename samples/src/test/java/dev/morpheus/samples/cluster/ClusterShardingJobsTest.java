package dev.morpheus.samples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import dev.morpheus.Await;
import dev.morpheus.pekko.MorpheusDispatcherStats;
import dev.morpheus.pekko.MorpheusExtension;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.Leave;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A 3-node cluster in one JVM (artery port 0) with the sample's real configuration
 * ({@code cluster.conf}: the app dispatcher, Jackson CBOR for every message between nodes):
 * N sharded jobs each complete exactly once, on all three nodes; then the oldest node (which
 * hosts the shard coordinators) leaves gracefully, the remaining jobs complete exactly once on
 * the two others, and the shards the leaver hosted are re-allocated to them.
 */
class ClusterShardingJobsTest {
    static {
        System.setProperty("logback.configurationFile", "cluster-logback.xml");
        System.setProperty("cluster.log.level", System.getProperty("cluster.log.level", "WARN"));
    }

    private static final String APP_DISPATCHER = "morpheus-dispatcher";
    private static final int JOBS_PER_PHASE = 60;
    private static final long ITERATIONS = 20_000;
    private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(20);
    /** How often a cluster condition is asked: each asks the cluster (sharding stats are a round trip). */
    private static final Duration POLL = Duration.ofMillis(100);

    private final List<ActorTestKit> nodes = new ArrayList<>();
    private final List<NodeStats> stats = new ArrayList<>();
    private final List<ClusterSample.Regions> regions = new ArrayList<>();

    static Config nodeConfig() {
        return ConfigFactory.parseString("""
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.seed-nodes = []
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                pekko.coordinated-shutdown.exit-jvm = off
                pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                # No periodic rebalancing: a timed hand-off in the middle of a phase may drop buffered
                # messages. A leaving node's shards are handed off by its graceful shutdown anyway.
                pekko.cluster.sharding.rebalance-interval = 1h
                morpheus-sample.producer.enabled = off
                """).withFallback(ConfigFactory.load("cluster")).resolve();
    }

    @BeforeEach
    void formCluster() {
        Config config = nodeConfig();
        SampleSettings settings = SampleSettings.from(config);
        for (int i = 0; i < 3; i++) {
            ActorTestKit kit = ActorTestKit.create(ClusterNode.SYSTEM_NAME, config);
            nodes.add(kit);
            NodeStats s = new NodeStats();
            stats.add(s);
            regions.add(ClusterSample.initSharding(kit.system(), settings, s));
        }
        Address first = Cluster.get(nodes.get(0).system()).selfMember().address();
        for (ActorTestKit kit : nodes) {
            Cluster.get(kit.system()).manager().tell(Join.create(first));
        }
        for (ActorTestKit kit : nodes) {
            Await.until("3 members Up as seen by " + kit.system().address(), Duration.ofSeconds(25), POLL,
                    () -> upMembers(kit.system()) == 3);
        }
        // the coordinator knows all three regions before the first shard is allocated
        Await.until("3 job regions registered", Duration.ofSeconds(15), POLL, () -> shardsPerNode(nodes.get(0)).size() == 3);
    }

    @AfterEach
    void shutDown() {
        // all at once: each node's coordinated shutdown (leave, shard hand-off) runs in parallel
        for (ActorTestKit kit : nodes) {
            kit.system().terminate();
        }
        for (ActorTestKit kit : nodes) {
            ActorTestKit.shutdown(kit.system(), Duration.ofSeconds(30), true);
        }
    }

    @Test
    void everyJobCompletesExactlyOnceAcrossALeave() {
        // The oldest node leaves: it hosts the shard coordinators, which must move too.
        int leaverIndex = oldestNode();
        int submitterIndex = (leaverIndex + 1) % nodes.size();
        ActorTestKit submitter = nodes.get(submitterIndex);
        ClusterSample.Regions submitRegions = regions.get(submitterIndex);
        ActorTestKit leaver = nodes.get(leaverIndex);
        String leaverName = NodeNames.of(leaver.system().address());

        // phase 1: all three nodes
        Map<String, String> ranOn = runJobs(submitter, submitRegions, "before", JOBS_PER_PHASE);
        assertEquals(3, new HashSet<>(ranOn.values()).size(), "phase-1 jobs ran on all three nodes: " + ranOn);
        assertEquals(JOBS_PER_PHASE, totalExecuted(), "executions across nodes equal the jobs");
        assertRunOnMorpheus();
        Map<String, Set<String>> before = shardsPerNode(submitter);
        Set<String> leaverShards = before.get(leaverName);
        assertFalse(leaverShards == null || leaverShards.isEmpty(), "the leaving node hosted shards: " + before);

        // one node leaves gracefully (coordinated shutdown: shard hand-off, then its system stops)
        Cluster.get(leaver.system()).manager().tell(Leave.create(leaver.system().address()));
        try {
            leaver.system().getWhenTerminated().toCompletableFuture().get(25, TimeUnit.SECONDS);
        } catch (Exception e) {
            fail("the leaving node's ActorSystem did not terminate: " + e);
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (i == leaverIndex) {
                continue;
            }
            ActorSystem<?> sys = nodes.get(i).system();
            Await.until("2 members as seen by " + sys.address(), Duration.ofSeconds(20), POLL,
                    () -> members(sys) == 2 && upMembers(sys) == 2);
        }

        // phase 2: the remaining jobs, on the two remaining nodes
        long executedBefore = totalExecuted();
        Map<String, String> ranOnAfter = runJobs(submitter, submitRegions, "after", JOBS_PER_PHASE);
        assertFalse(ranOnAfter.containsValue(leaverName), "no phase-2 job ran on the node that left: " + ranOnAfter);
        assertEquals(2, new HashSet<>(ranOnAfter.values()).size(), "phase-2 jobs ran on both remaining nodes: " + ranOnAfter);
        assertEquals(executedBefore + JOBS_PER_PHASE, totalExecuted(), "executions across nodes equal the jobs");

        // the leaver's shards are now hosted by the remaining nodes
        Map<String, Set<String>> after = shardsPerNode(submitter);
        assertEquals(2, after.size(), "two regions remain: " + after);
        assertFalse(after.containsKey(leaverName), "the leaver has no region any more: " + after);
        Set<String> hosted = new TreeSet<>();
        after.values().forEach(hosted::addAll);
        assertTrue(hosted.containsAll(leaverShards),
                "the leaver's shards " + leaverShards + " were re-allocated to the remaining nodes: " + after);
    }

    /** Submits {@code n} jobs through {@code region} and returns job id -> node that ran it, checking exactly-once. */
    private Map<String, String> runJobs(ActorTestKit from, ClusterSample.Regions region, String phase, int n) {
        TestProbe<JobEntity.JobDone> replies = from.createTestProbe();
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            String jobId = phase + "-" + i;
            expected.add(jobId);
            region.jobs().tell(new ShardingEnvelope<>("job-" + (i % 30),
                    new JobEntity.RunJob(jobId, ITERATIONS, replies.getRef())));
        }
        Map<String, String> ranOn = new HashMap<>();
        List<JobEntity.JobDone> done = replies.receiveSeveralMessages(n, PHASE_TIMEOUT);
        for (JobEntity.JobDone d : done) {
            String previous = ranOn.put(d.jobId(), d.node());
            if (previous != null) {
                fail("job " + d.jobId() + " completed twice (on " + previous + " and " + d.node() + ")");
            }
            assertEquals(JobEntity.work(d.jobId().hashCode(), ITERATIONS), d.result(), "result of " + d.jobId());
        }
        assertEquals(expected, ranOn.keySet(), phase + ": every job completed");
        replies.expectNoMessage(Duration.ofMillis(300));
        return ranOn;
    }

    /** The entities ran on the Morpheus dispatcher of every node, the ledgers as critical actors. */
    private void assertRunOnMorpheus() {
        for (ActorTestKit kit : nodes) {
            MorpheusDispatcherStats s = appDispatcherStats(kit);
            assertTrue(s.actorsChecked() > 0, "actors checked by Morpheus on " + kit.system().address() + ": " + s);
        }
        Await.until("critical-tagged ledger entities exist", Duration.ofSeconds(5), POLL,
                () -> nodes.stream().mapToLong(kit -> appDispatcherStats(kit).actorsCritical()).sum() > 0);
    }

    private static MorpheusDispatcherStats appDispatcherStats(ActorTestKit kit) {
        return MorpheusExtension.get(kit.system()).stats(APP_DISPATCHER)
                .orElseThrow(() -> new AssertionError(APP_DISPATCHER + " is not a Morpheus dispatcher on " + kit.system()));
    }

    private long totalExecuted() {
        return stats.stream().mapToLong(NodeStats::jobsExecuted).sum();
    }

    /** Index in {@link #nodes} of the oldest member (where the cluster singletons, here the shard coordinators, run). */
    private int oldestNode() {
        Member oldest = null;
        for (Member m : Cluster.get(nodes.get(0).system()).state().getMembers()) {
            if (oldest == null || m.isOlderThan(oldest)) {
                oldest = m;
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (Cluster.get(nodes.get(i).system()).selfMember().equals(oldest)) {
                return i;
            }
        }
        throw new AssertionError("the oldest member " + oldest + " is none of the test's nodes");
    }

    private static int members(ActorSystem<?> system) {
        int n = 0;
        for (var m : Cluster.get(system).state().getMembers()) {
            n++;
        }
        return n;
    }

    private static int upMembers(ActorSystem<?> system) {
        int up = 0;
        for (var m : Cluster.get(system).state().getMembers()) {
            if (m.status() == MemberStatus.up()) {
                up++;
            }
        }
        return up;
    }

    /** Job shards per node (host:port) as the coordinator reports them. */
    private static Map<String, Set<String>> shardsPerNode(ActorTestKit kit) {
        TestProbe<ShardRegion.ClusterShardingStats> probe = kit.createTestProbe();
        ClusterSharding.get(kit.system()).shardState()
                .tell(new GetClusterShardingStats(JobEntity.TYPE_KEY, Duration.ofSeconds(3), probe.getRef()));
        ShardRegion.ClusterShardingStats s = probe.receiveMessage(Duration.ofSeconds(5));
        Map<String, Set<String>> perNode = new HashMap<>();
        s.getRegions().forEach((address, region) -> perNode.put(NodeNames.of(address), new TreeSet<>(region.getStats().keySet())));
        return perNode;
    }
}
