package dev.morpheus.pekko;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A workload that detects lost, duplicated and reordered messages: S sender threads each send
 * N numbered messages to each of K receivers; a receiver checks that every sender's numbers
 * arrive as 0, 1, 2, ... and reports what it saw once it has S x N messages.
 */
final class Ordering {
    record Gate(CountDownLatch latch) {}

    record Msg(int sender, int seq) {}

    /** What one receiver saw: per sender the count, and how many messages broke the sequence. */
    record Report(int receiver, List<Integer> perSender, int outOfOrder) {}

    private Ordering() {}

    static Behavior<Object> receiver(int id, int senders, int perSender, ActorRef<Report> report) {
        return Behaviors.setup(ctx -> {
            int[] next = new int[senders];
            int[] bad = {0};
            int[] total = {0};
            return Behaviors.receive(Object.class)
                    .onMessage(Gate.class, g -> {
                        TestSupport.await(g.latch());
                        return Behaviors.same();
                    })
                    .onMessage(Msg.class, m -> {
                        if (m.seq() != next[m.sender()]) {
                            bad[0]++;
                        }
                        next[m.sender()] = m.seq() + 1;
                        if (++total[0] == senders * perSender) {
                            List<Integer> counts = new ArrayList<>();
                            for (int n : next) {
                                counts.add(n);
                            }
                            report.tell(new Report(id, counts, bad[0]));
                        }
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    /**
     * Runs the workload on {@code dispatcherId}; while {@code during} runs (may be null) the
     * receivers process their queues. Returns the reports, by receiver.
     */
    static List<Report> run(ActorTestKit kit, String dispatcherId, int receivers, int senders, int perSender)
            throws InterruptedException {
        TestProbe<Report> probe = kit.createTestProbe();
        List<ActorRef<Object>> refs = new ArrayList<>();
        CountDownLatch gate = new CountDownLatch(1);
        for (int r = 0; r < receivers; r++) {
            ActorRef<Object> ref = kit.spawn(receiver(r, senders, perSender, probe.ref()), dispatcherId + "-rcv-" + r,
                    DispatcherSelector.fromConfig(dispatcherId));
            ref.tell(new Gate(gate));
            refs.add(ref);
        }
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            Thread t = new Thread(() -> {
                for (int i = 0; i < perSender; i++) {
                    for (ActorRef<Object> ref : refs) {
                        ref.tell(new Msg(sender, i));
                    }
                }
            }, "sender-" + s);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        gate.countDown(); // every queue now holds S x N messages
        Report[] reports = new Report[receivers];
        for (int r = 0; r < receivers; r++) {
            Report rep = probe.receiveMessage(TestSupport.WAIT);
            reports[rep.receiver()] = rep;
        }
        return List.of(reports);
    }
}
