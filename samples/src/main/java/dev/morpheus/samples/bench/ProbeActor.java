package dev.morpheus.samples.bench;

import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.Props;

/**
 * The probe: pinged every probe period from a timer thread outside the dispatcher, it records
 * when each ping arrived. Send-to-receive delay is how long a latency-sensitive actor on the
 * same dispatcher waits for a thread.
 */
final class ProbeActor extends AbstractActor {
    record Ping(int seq) {}

    private final RunContext ctx;
    private final AtomicLongArray received;

    ProbeActor(RunContext ctx, AtomicLongArray received) {
        this.ctx = ctx;
        this.received = received;
    }

    static Props props(RunContext ctx, AtomicLongArray received, String dispatcher) {
        return Props.create(ProbeActor.class, () -> new ProbeActor(ctx, received)).withDispatcher(dispatcher);
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder().match(Ping.class, p -> {
            received.set(p.seq(), System.nanoTime());
            ctx.queued.decrementAndGet();
            ctx.thread().lastActor = this;
        }).build();
    }
}
