package dev.morpheus.pekko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lane queue's contract: first in, first out; every task taken exactly once while the
 * producer (who also takes) races thieves, across growth of the ring; no reference kept to a
 * task that was taken once the producer clears. A broken queue can also lose or repeat tasks
 * forever (a head moved back by a stale consumer): every test fails after 120 s instead of hanging.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LaneQueueTest {

    /** A task that knows its place in the producer's sequence. */
    record Numbered(int n) implements Runnable {
        @Override
        public void run() {}
    }

    @Test
    void firstInFirstOutAcrossGrowth() {
        LaneQueue q = new LaneQueue();
        int n = LaneQueue.INITIAL_CAPACITY * 5 + 3; // grows three times
        for (int i = 0; i < n; i++) {
            assertEquals(i, q.offer(new Numbered(i)), "tasks waiting before offer " + i);
        }
        assertEquals(n, q.size());
        for (int i = 0; i < n; i++) {
            assertEquals(i, ((Numbered) q.poll()).n());
        }
        assertNull(q.poll());
        assertTrue(q.isEmpty());
        assertEquals(n, q.taken());
    }

    @Test
    void wrapsAroundWithoutGrowingWhenTakenInTime() throws Exception {
        LaneQueue q = new LaneQueue();
        int waiting = LaneQueue.INITIAL_CAPACITY - 1;
        for (int i = 0; i < waiting; i++) {
            q.offer(new Numbered(i));
        }
        for (int i = waiting; i < LaneQueue.INITIAL_CAPACITY * 10; i++) {
            q.offer(new Numbered(i));
            assertEquals(i - waiting, ((Numbered) q.poll()).n(), "order at " + i);
        }
        assertEquals(LaneQueue.INITIAL_CAPACITY, ring(q).length, "a full ring, one taken per offer: never grown");
    }

    /**
     * One producer offering in bursts (some larger than the ring, so it grows under the
     * thieves) and taking some itself, three thieves taking as fast as they can: each task
     * exactly once, and each taker sees the tasks in the order they were offered.
     */
    @Test
    void eachTaskTakenExactlyOnceWhileThievesRaceTheOwner() throws Exception {
        int tasks = 2_000_000;
        LaneQueue q = new LaneQueue();
        AtomicIntegerArray takenBy = new AtomicIntegerArray(tasks);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> disorder = new AtomicReference<>();
        List<Thread> thieves = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 1; t <= 3; t++) {
            int me = t;
            Thread th = new Thread(() -> {
                await(go);
                int last = -1;
                while (true) {
                    Runnable r = q.poll();
                    if (r == null) {
                        if (done.get() && q.isEmpty()) {
                            return;
                        }
                        Thread.onSpinWait();
                        continue;
                    }
                    int n = ((Numbered) r).n();
                    if (n <= last) {
                        disorder.compareAndSet(null, "thief " + me + " took " + n + " after " + last);
                    }
                    last = n;
                    takenBy.getAndIncrement(n);
                }
            }, "thief-" + t);
            th.setDaemon(true);
            th.start();
            thieves.add(th);
        }
        go.countDown();
        int next = 0;
        int ownLast = -1;
        int burst = 1;
        while (next < tasks) {
            int end = Math.min(tasks, next + burst);
            for (; next < end; next++) {
                q.offer(new Numbered(next));
            }
            burst = burst >= 4096 ? 1 : burst * 2; // bursts up to 16 rings' worth
            Runnable r = q.poll();
            if (r != null) {
                int n = ((Numbered) r).n();
                if (n <= ownLast) {
                    disorder.compareAndSet(null, "owner took " + n + " after " + ownLast);
                }
                ownLast = n;
                takenBy.getAndIncrement(n);
            }
        }
        done.set(true);
        for (Thread th : thieves) {
            th.join(TimeUnit.SECONDS.toMillis(60));
            assertTrue(!th.isAlive(), th.getName() + " did not finish");
        }
        assertNull(disorder.get());
        for (int i = 0; i < tasks; i++) {
            if (takenBy.get(i) != 1) {
                throw new AssertionError("task " + i + " taken " + takenBy.get(i) + " times");
            }
        }
        assertNull(q.poll());
    }

    @Test
    void keepsNoReferenceToATakenTaskOnceTheProducerClears() throws Exception {
        LaneQueue q = new LaneQueue();
        Numbered a = new Numbered(1);
        Numbered b = new Numbered(2);
        q.offer(a);
        q.offer(b);
        assertSame(a, q.poll());
        Thread thief = new Thread(() -> q.poll());
        thief.start();
        thief.join();
        q.clearTaken();
        for (Runnable slot : ring(q)) {
            assertNull(slot, "a slot still holds a task that ran");
        }
        // The next offer clears what thieves took since, before it fills a slot.
        q.offer(new Numbered(3));
        q.offer(new Numbered(4));
        Thread again = new Thread(() -> q.poll());
        again.start();
        again.join();
        q.offer(new Numbered(5));
        long held = java.util.Arrays.stream(ring(q)).filter(r -> r != null).count();
        assertEquals(2, held, "tasks 4 and 5 wait; 3 was taken and cleared");
    }

    private static Runnable[] ring(LaneQueue q) throws Exception {
        Field f = LaneQueue.class.getDeclaredField("slots");
        f.setAccessible(true);
        return (Runnable[]) f.get(q);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
