package dev.morpheus.samples.bench;

import dev.morpheus.MorpheusWorker;
import dev.morpheus.abi.YieldCause;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;

/**
 * A worker that always has work: each {@link Work} message runs one CPU-bound work unit and the
 * actor sends itself the continuation, so its mailbox never runs dry until the run stops. How
 * long it keeps its pool thread is decided by the dispatcher's batch settings, except in the
 * direct morpheus mode (see {@link MorpheusMode}): there the dispatcher's batch is huge, and after
 * every unit the worker checkpoints; when a hint is pending (or max-batch units ran in this
 * mailbox run) it answers the hint and, instead of messaging itself, hands the continuation to
 * the {@link Bouncer}: its mailbox runs dry, the mailbox run ends at this boundary, and the pool
 * thread takes the next mailbox in its FIFO queue; the continuation comes back behind it.
 */
final class WorkerActor extends AbstractActor {
    /**
     * A work message, stamped when sent (for assignment latency). {@code waiting}: counted in the
     * gauge of work waiting for a thread (sent from outside a running mailbox).
     */
    record Work(long sentNanos, boolean waiting) {}

    private final RunContext ctx;
    private final int id;
    private final ActorRef bouncer;
    private final LongList assign = new LongList();
    private long acc;
    private boolean done;

    WorkerActor(RunContext ctx, int id, ActorRef bouncer) {
        this.ctx = ctx;
        this.id = id;
        this.bouncer = bouncer;
        this.acc = id + 1;
    }

    static Props props(RunContext ctx, int id, ActorRef bouncer, String dispatcher) {
        return Props.create(WorkerActor.class, () -> new WorkerActor(ctx, id, bouncer)).withDispatcher(dispatcher);
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder().match(Work.class, this::onWork).build();
    }

    private void onWork(Work w) {
        if (done) {
            return;
        }
        long now = System.nanoTime();
        if (w.waiting()) {
            ctx.queued.decrementAndGet();
        }
        RunContext.ThreadStats ts = ctx.thread();
        if (ts.lastActor != this) {
            // A new mailbox run on this thread.
            ts.lastActor = this;
            ts.runUnits = 0;
            if (ctx.measuring) {
                ts.switches++;
            }
            if (ctx.direct()) {
                worker(ts).markRunning();
            }
        }
        if (ctx.measuring) {
            assign.add(now - w.sentNanos());
        }
        boolean yield = false;
        if (!ctx.stopping && !exhausted()) {
            unit(ts);
            if (ctx.direct()) {
                yield = checkpoint(ts);
            }
        }
        if (ctx.stopping || exhausted()) {
            done = true;
            ctx.assignLatencies.add(assign);
            ctx.finished.countDown();
            return;
        }
        if (yield) {
            ts.lastActor = null;
            ctx.queued.incrementAndGet();
            bouncer.tell(new Bouncer.Bounce(getSelf()), ActorRef.noSender());
        } else {
            getSelf().tell(new Work(System.nanoTime(), false), getSelf());
        }
    }

    private MorpheusWorker worker(RunContext.ThreadStats ts) {
        MorpheusWorker worker = ts.worker;
        if (worker == null) {
            worker = ctx.morpheus.registerCurrentThread(Thread.currentThread().getName());
            ts.worker = worker;
        }
        return worker;
    }

    /** Direct use of the Morpheus API after each unit: whether to end this mailbox run. */
    private boolean checkpoint(RunContext.ThreadStats ts) {
        MorpheusWorker worker = ts.worker;
        boolean yield = false;
        if (worker.checkpoint() && worker.acknowledgeHint() != null) {
            yield = true;
        } else if (ts.runUnits >= ctx.maxBatch) {
            worker.recordYield(YieldCause.BUDGET);
            yield = true;
        }
        if (yield) {
            worker.markQuiescing();
        }
        return yield;
    }

    /** In fixed-work runs (scaling): this actor has done its share. */
    private boolean exhausted() {
        return ctx.quota > 0 && ctx.actorUnits.get(id) >= ctx.quota;
    }

    private void unit(RunContext.ThreadStats ts) {
        acc = WorkUnit.spin(acc, ctx.rounds);
        ctx.actorUnits.lazySet(id, ctx.actorUnits.get(id) + 1);
        ts.runUnits++;
        if (ctx.measuring) {
            ts.units++;
        }
    }

    long checksum() {
        return acc;
    }
}
