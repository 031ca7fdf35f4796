package dev.morpheus.samples.cluster;

import java.time.Duration;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.dispatch.ExecutionContexts;

/**
 * The latency probe, one per node, on the same dispatcher as the job entities.
 *
 * <p>Every {@code interval} the scheduler thread itself (a parasitic execution context: no
 * dispatcher in between) sends the probe a {@link Ping} stamped with {@link System#nanoTime()}.
 * The probe records how long the ping waited before a dispatcher thread ran it: the mailbox
 * scheduling delay that CPU-bound jobs inflict on a small, latency-sensitive actor, which is
 * what Morpheus yields are meant to cut. Percentiles over the last {@code window} pings are
 * published to {@link NodeStats} for the status line.
 */
public final class LatencyProbe {
    public interface Command {
    }

    /** A probe ping; local only, never serialized. */
    record Ping(long sentNanos) implements Command {
    }

    private LatencyProbe() {
    }

    public static Behavior<Command> create(Duration interval, int window, NodeStats stats) {
        return Behaviors.setup(ctx -> {
            ActorRef<Command> self = ctx.getSelf();
            Cancellable pings = ctx.getSystem().scheduler().scheduleAtFixedRate(interval, interval,
                    () -> self.tell(new Ping(System.nanoTime())), ExecutionContexts.fromExecutor(Runnable::run));
            LatencyWindow samples = new LatencyWindow(window);
            int publishEvery = Math.max(1, Math.min(window, 50));
            int[] sincePublish = {0};
            return Behaviors.receive(Command.class)
                    .onMessage(Ping.class, p -> {
                        samples.add(System.nanoTime() - p.sentNanos());
                        if (++sincePublish[0] >= publishEvery) {
                            sincePublish[0] = 0;
                            stats.probe(samples.summary());
                        }
                        return Behaviors.same();
                    })
                    .onSignal(PostStop.class, s -> {
                        pings.cancel();
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}
