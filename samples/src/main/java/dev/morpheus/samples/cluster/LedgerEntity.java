package dev.morpheus.samples.cluster;

import dev.morpheus.Morpheus;
import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The critical-tagged entity type: a ledger of finished jobs (count and checksum).
 *
 * <p>The sample registers this type with {@code ActorTags.create(critical-tag)} (see
 * {@link ClusterSample#entityProps}): on the Morpheus dispatcher, a message to a critical-tagged
 * actor runs as a critical section, so the kernel never force-preempts a worker in the middle
 * of a ledger update. The update itself is also wrapped in {@link Morpheus#critical(Runnable)},
 * the API form, which does nothing on a thread that is not a Morpheus worker (for example on a
 * stock dispatcher). Duplicate records of a job are ignored, so the ledger counts each job once
 * per entity incarnation.
 */
public final class LedgerEntity {
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "ledger");

    public interface Command extends CborSerializable {
    }

    public record Record(String jobId, long result) implements Command {
    }

    public record GetTotals(ActorRef<Totals> replyTo) implements Command {
    }

    public record Totals(String ledgerId, long jobs, long checksum) implements CborSerializable {
    }

    private LedgerEntity() {
    }

    public static Behavior<Command> create(String ledgerId, NodeStats stats) {
        return Behaviors.setup(ctx -> {
            Set<String> seen = new HashSet<>();
            long[] totals = new long[2];
            return Behaviors.receive(Command.class)
                    .onMessage(Record.class, r -> {
                        Morpheus.critical(() -> {
                            if (seen.add(r.jobId())) {
                                totals[0]++;
                                totals[1] ^= r.result();
                                stats.ledgerRecorded();
                            }
                        });
                        return Behaviors.same();
                    })
                    .onMessage(GetTotals.class, g -> {
                        g.replyTo().tell(new Totals(ledgerId, totals[0], totals[1]));
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}
