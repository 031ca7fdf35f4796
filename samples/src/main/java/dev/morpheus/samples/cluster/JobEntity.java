package dev.morpheus.samples.cluster;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The sharded "job" entity: runs CPU-bound jobs on the Morpheus dispatcher, one job per message.
 *
 * <p>Each job is a deterministic integer mixing loop of {@code iterations} steps: pure CPU, no
 * allocation, no blocking, so a long job is exactly the kind of message that hogs a dispatcher
 * thread and that Morpheus asks to yield at the next mailbox boundary. The entity replies
 * {@link JobDone} to the submitter, naming the node that ran the job, and records the result
 * with a {@link LedgerEntity} (the critical-tagged entity type). Entities are addressed by a
 * bucket id, so many jobs share an entity and the shards spread over the cluster.
 */
public final class JobEntity {
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "job");

    /** Messages the entity accepts. */
    public interface Command extends CborSerializable {
    }

    /** Runs job {@code jobId} for {@code iterations} mixing steps and replies to {@code replyTo}. */
    public record RunJob(String jobId, long iterations, ActorRef<JobDone> replyTo) implements Command {
    }

    /**
     * A finished job.
     * @param node   the cluster address (host:port) of the node whose entity ran it
     * @param result the mixing loop's result, a checksum that makes the work observable
     */
    public record JobDone(String jobId, String entityId, String node, long result) implements CborSerializable {
    }

    private JobEntity() {
    }

    /** The number of ledger entities job results are spread over. */
    static final int LEDGERS = 4;

    public static Behavior<Command> create(String entityId, NodeStats stats) {
        return Behaviors.setup(ctx -> {
            String node = NodeNames.of(ctx.getSystem().address());
            ClusterSharding sharding = ClusterSharding.get(ctx.getSystem());
            return Behaviors.receive(Command.class)
                    .onMessage(RunJob.class, job -> {
                        long result = work(job.jobId().hashCode(), job.iterations());
                        stats.jobExecuted();
                        job.replyTo().tell(new JobDone(job.jobId(), entityId, node, result));
                        String ledger = "ledger-" + Math.floorMod(job.jobId().hashCode(), LEDGERS);
                        sharding.entityRefFor(LedgerEntity.TYPE_KEY, ledger).tell(new LedgerEntity.Record(job.jobId(), result));
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    /** The CPU-bound part: {@code iterations} rounds of a 64-bit mixing function (splitmix64). */
    static long work(long seed, long iterations) {
        long x = seed;
        for (long i = 0; i < iterations; i++) {
            x += 0x9E3779B97F4A7C15L;
            long z = x;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            x ^= z ^ (z >>> 31);
        }
        return x;
    }
}
