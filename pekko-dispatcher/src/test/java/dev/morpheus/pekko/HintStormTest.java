package dev.morpheus.pekko;

import static dev.morpheus.pekko.TestSupport.NONE;
import static dev.morpheus.pekko.TestSupport.STOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.morpheus.abi.YieldCause;
import java.util.Collections;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** No message is lost, duplicated or reordered per sender, whatever the hints do. */
class HintStormTest {
    static final int RECEIVERS = 4;
    static final int SENDERS = 8;
    static final int PER_SENDER = 2_500;

    private ActorTestKit kit;

    @BeforeEach
    void start() {
        kit = TestSupport.testKit("HintStormTest");
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    private static void assertComplete(List<Ordering.Report> reports) {
        assertEquals(RECEIVERS, reports.size());
        for (Ordering.Report r : reports) {
            assertEquals(0, r.outOfOrder(), "receiver " + r.receiver() + " saw messages out of sequence");
            assertEquals(Collections.nCopies(SENDERS, PER_SENDER), r.perSender(), "receiver " + r.receiver());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestSupport.MANUAL, TestSupport.MANUAL_TP, TestSupport.MANUAL_FJ})
    void underAHintStormEveryMessageArrivesOnceAndInOrder(String id) throws Exception {
        MorpheusDispatcher d = TestSupport.dispatcher(kit, id);
        List<Ordering.Report> reports;
        TestSupport.HintStorm storm = new TestSupport.HintStorm(TestSupport.manual(d));
        try {
            reports = Ordering.run(kit, id, RECEIVERS, SENDERS, PER_SENDER);
        } finally {
            storm.stop();
        }
        assertComplete(reports);
        MorpheusDispatcherStats s = d.stats();
        assertTrue(s.batchesCutByHint() > 0, "the storm cut batches: " + s);
        assertTrue(s.yields(YieldCause.HINT) >= s.batchesCutByHint(), s.toString());
    }

    @Test
    void hintSourceNoneProcessesTheSameMessagesAsTheStockDispatcher() throws Exception {
        List<Ordering.Report> stock = Ordering.run(kit, STOCK, RECEIVERS, SENDERS, PER_SENDER);
        List<Ordering.Report> none = Ordering.run(kit, NONE, RECEIVERS, SENDERS, PER_SENDER);
        assertComplete(stock);
        assertComplete(none);
        assertEquals(stock, none);
        MorpheusDispatcherStats s = TestSupport.dispatcher(kit, NONE).stats();
        assertEquals("none", s.hintSource());
        // Nothing to sample: the housekeeper wakes every 100 ms, not every 1 ms.
        assertEquals(100_000_000L, TestSupport.dispatcher(kit, NONE).morpheus().config().sampleIntervalNanos());
        // No hint and no deadline cuts a batch; the executor's handovers (work woken while every
        // thread is in a long run) need no hint source, and do not change what is delivered.
        assertEquals(0, s.batchesCutByHint() + s.batchesCutByDeadline(), s.toString());
        assertEquals(0, s.yields(YieldCause.HINT) + s.yields(YieldCause.DEADLINE) + s.yields(YieldCause.DEFENSIVE));
        // 20,000 messages per receiver, max-batch 1000: batches end at the budget like the stock ones.
        assertTrue(s.batchesAtBudget() > 0, s.toString());
    }
}
