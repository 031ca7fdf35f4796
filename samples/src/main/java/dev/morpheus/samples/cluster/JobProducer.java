package dev.morpheus.samples.cluster;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Each node's job source in the running sample: once this node is Up and
 * {@code start-after-members} members are Up, every
 * {@code producer.interval} it submits {@code jobs-per-tick} jobs to the job region (at most
 * {@code max-in-flight} outstanding), spread over {@code entities} job entities, and tracks
 * their completions. A second completion of a job is counted as a duplicate; a job without a
 * completion after {@code job-timeout} is counted as lost (possible only while a node leaves
 * or crashes, since the sample keeps no durable state). {@link Pause} stops submitting (the
 * node's coordinated shutdown sends it before the node leaves, so no new job chases a shard
 * that is being handed off) while completions are still counted.
 */
public final class JobProducer {
    public interface Command {
    }

    private record Up(SelfUp up) implements Command {
    }

    private enum Tick implements Command { INSTANCE }

    private record Completed(JobEntity.JobDone done) implements Command {
    }

    /** Stop submitting jobs; replies when no further job will be submitted. */
    public record Pause(ActorRef<Done> replyTo) implements Command {
    }

    private JobProducer() {
    }

    private static Behavior<Command> paused(Pause p) {
        p.replyTo().tell(Done.getInstance());
        return Behaviors.receive(Command.class)
                .onMessage(Pause.class, again -> {
                    again.replyTo().tell(Done.getInstance());
                    return Behaviors.same();
                })
                .onAnyMessage(m -> Behaviors.same())
                .build();
    }

    public static Behavior<Command> create(SampleSettings settings, ActorRef<ShardingEnvelope<JobEntity.Command>> jobs,
                                           NodeStats stats) {
        return Behaviors.setup(ctx -> {
            ctx.setLoggerName(JobProducer.class);
            Cluster.get(ctx.getSystem()).subscriptions()
                    .tell(Subscribe.create(ctx.messageAdapter(SelfUp.class, Up::new), SelfUp.class));
            return Behaviors.withTimers(timers -> Behaviors.receive(Command.class)
                    .onMessage(Up.class, up -> {
                        ctx.getLog().info("node is Up: will submit {} jobs every {} ({} iterations each, {} entities) "
                                        + "once {} members are Up", settings.jobsPerTick(), settings.producerInterval(),
                                settings.iterations(), settings.entities(), settings.startAfterMembers());
                        timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.producerInterval());
                        return new Running(ctx, settings, jobs, stats, timers).behavior();
                    })
                    .onMessage(Pause.class, JobProducer::paused)
                    .build());
        });
    }

    private static final class Running {
        private final ActorContext<Command> ctx;
        private final SampleSettings settings;
        private final ActorRef<ShardingEnvelope<JobEntity.Command>> jobs;
        private final NodeStats stats;
        private final TimerScheduler<Command> timers;
        private final ActorRef<JobEntity.JobDone> replyTo;
        private final String prefix;
        private final Map<String, Long> outstanding = new HashMap<>();
        private long seq;
        private long lost;
        private boolean started;

        Running(ActorContext<Command> ctx, SampleSettings settings, ActorRef<ShardingEnvelope<JobEntity.Command>> jobs,
                NodeStats stats, TimerScheduler<Command> timers) {
            this.ctx = ctx;
            this.timers = timers;
            this.settings = settings;
            this.jobs = jobs;
            this.stats = stats;
            this.replyTo = ctx.messageAdapter(JobEntity.JobDone.class, Completed::new);
            this.prefix = NodeNames.of(ctx.getSystem().address());
        }

        Behavior<Command> behavior() {
            return Behaviors.receive(Command.class)
                    .onMessageEquals(Tick.INSTANCE, this::onTick)
                    .onMessage(Completed.class, this::onCompleted)
                    .onMessage(Pause.class, this::onPause)
                    .build();
        }

        private Behavior<Command> onTick() {
            if (!started) {
                int up = 0;
                for (Member m : Cluster.get(ctx.getSystem()).state().getMembers()) {
                    if (m.status() == MemberStatus.up()) {
                        up++;
                    }
                }
                if (up < settings.startAfterMembers()) {
                    return Behaviors.same();
                }
                started = true;
                ctx.getLog().info("{} members Up: submitting jobs", up);
            }
            long now = System.nanoTime();
            expire(now);
            for (int i = 0; i < settings.jobsPerTick() && outstanding.size() < settings.maxInFlight(); i++) {
                long n = seq++;
                String jobId = prefix + "-" + n;
                String entityId = "job-" + (n % settings.entities());
                outstanding.put(jobId, now);
                stats.jobSubmitted();
                jobs.tell(new ShardingEnvelope<>(entityId, new JobEntity.RunJob(jobId, settings.iterations(), replyTo)));
            }
            return Behaviors.same();
        }

        private Behavior<Command> onPause(Pause p) {
            timers.cancel(Tick.INSTANCE);
            ctx.getLog().info("paused: {} jobs submitted, {} still without a completion", seq, outstanding.size());
            p.replyTo().tell(Done.getInstance());
            return Behaviors.receive(Command.class)
                    .onMessage(Completed.class, this::onCompleted)
                    .onMessage(Pause.class, again -> {
                        again.replyTo().tell(Done.getInstance());
                        return Behaviors.same();
                    })
                    .onAnyMessage(m -> Behaviors.same())
                    .build();
        }

        private Behavior<Command> onCompleted(Completed c) {
            if (outstanding.remove(c.done().jobId()) != null) {
                stats.jobCompleted();
            } else {
                stats.duplicateCompletion();
                ctx.getLog().warn("job {} completed again (on {}), or after it was counted lost", c.done().jobId(),
                        c.done().node());
            }
            return Behaviors.same();
        }

        private void expire(long now) {
            long timeout = settings.jobTimeout().toNanos();
            int expired = 0;
            for (Iterator<Long> it = outstanding.values().iterator(); it.hasNext(); ) {
                if (now - it.next() > timeout) {
                    it.remove();
                    expired++;
                }
            }
            if (expired > 0) {
                lost += expired;
                ctx.getLog().warn("{} jobs had no completion after {} ({} lost in total)", expired, settings.jobTimeout(), lost);
            }
        }
    }
}
