package dev.morpheus.samples.bench;

import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;

/**
 * Sends a yielding worker its continuation back, so the worker's own mailbox is empty when its
 * message ends and the dispatcher ends that mailbox run (direct morpheus mode).
 */
final class Bouncer extends AbstractActor {
    record Bounce(ActorRef worker) {}

    private final RunContext ctx;

    Bouncer(RunContext ctx) {
        this.ctx = ctx;
    }

    static Props props(RunContext ctx, String dispatcher) {
        return Props.create(Bouncer.class, () -> new Bouncer(ctx)).withDispatcher(dispatcher);
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder().match(Bounce.class, b -> {
            // The bounce was counted as waiting work; the continuation it sends is, in its place.
            ctx.thread().lastActor = this;
            b.worker().tell(new WorkerActor.Work(System.nanoTime(), true), ActorRef.noSender());
        }).build();
    }
}
