package dev.morpheus.jfr;

import dev.morpheus.Morpheus;
import dev.morpheus.MorpheusConfig;
import dev.morpheus.MorpheusWorker;
import dev.morpheus.abi.HintReason;
import dev.morpheus.abi.RuntimeMode;
import dev.morpheus.abi.YieldCause;
import dev.morpheus.hint.ManualHintSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Collectors;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;

/**
 * The child program of {@link JfrFirstUseRaceTest}: one fresh JVM, whose first Morpheus events
 * are raced on several threads. It prints {@code ok} and exits 0, exits 1 with a reason on a
 * wrong result, or hangs - which is what the parent watches for.
 *
 * <ul>
 *   <li>{@code api}: the shape that hung (issue 13), through the public API only (so it also runs
 *       against the code before the fix): workers answering a hint (HintAnswered, then Yield)
 *       and recording voluntary yields (Yield) all at once on their first use, while the
 *       housekeeper changes mode (ModeChange).</li>
 *   <li>{@code door}: emits before any registration must neither record nor initialize an event
 *       class; then {@link MorpheusEvents#register()} races emits, a {@code Morpheus.open} and a
 *       JFR recording starting; afterwards every switch is armed.</li>
 * </ul>
 */
public final class FirstUseRace {
    private static final int THREADS = 6;

    private FirstUseRace() {}

    public static void main(String[] args) throws Exception {
        switch (args.length == 1 ? args[0] : "") {
            case "api" -> throughTheApi();
            case "door" -> throughTheDoor();
            default -> {
                System.err.println("usage: FirstUseRace api|door");
                System.exit(2);
            }
        }
        System.out.println("ok");
        System.exit(0); // a stray non-daemon thread must not keep a passing child alive
    }

    private static void throughTheApi() throws Exception {
        MorpheusConfig config = MorpheusConfig.builder().hintSource("manual").build();
        try (Morpheus morpheus = Morpheus.open("first-use-race", config)) {
            ManualHintSource manual = (ManualHintSource) morpheus.hintSource();
            CyclicBarrier registered = new CyclicBarrier(THREADS + 1);
            CyclicBarrier go = new CyclicBarrier(THREADS + 1);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                boolean answers = i % 2 == 0;
                Thread t = new Thread(() -> {
                    MorpheusWorker w = morpheus.registerCurrentThread();
                    w.markRunning();
                    await(registered);
                    await(go);
                    if (answers) {
                        if (w.checkpoint()) {
                            w.acknowledgeHint(); // HintAnswered, then Yield
                        }
                    } else {
                        w.recordYield(YieldCause.VOLUNTARY); // Yield
                    }
                    w.markQuiescing();
                    w.close();
                }, "race-worker-" + i);
                t.start();
                threads.add(t);
            }
            await(registered);
            manual.postAll(); // the housekeeper goes PRESSURED (ModeChange) while the workers answer
            await(go);
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    private static void throughTheDoor() throws Exception {
        // 1. Emits before registration: off, and no event class initialized (initializing one
        //    registers it, which would show in the recorder's list).
        race(() -> MorpheusEvents.yielded("w", YieldCause.HINT),
                () -> MorpheusEvents.hintAnswered("w", HintReason.MANUAL, 1, 1),
                () -> MorpheusEvents.modeChanged("i", RuntimeMode.DETERMINISTIC, RuntimeMode.PRESSURED, "r"));
        List<String> early = morpheusEventTypes();
        if (!early.isEmpty()) {
            fail("emits before registration initialized and registered " + early);
        }
        // 2. Registration racing emits, an instance opening and a recording starting.
        race(MorpheusEvents::register,
                MorpheusEvents::register,
                () -> MorpheusEvents.yielded("w", YieldCause.HINT),
                () -> MorpheusEvents.hintAnswered("w", HintReason.MANUAL, 1, 1),
                () -> MorpheusEvents.modeChanged("i", RuntimeMode.DETERMINISTIC, RuntimeMode.PRESSURED, "r"),
                () -> {
                    try (Morpheus m = Morpheus.open("door-race", MorpheusConfig.builder().hintSource("manual").build())) {
                        MorpheusWorker w = m.registerCurrentThread();
                        ((ManualHintSource) m.hintSource()).postAll();
                        w.acknowledgeHint();
                        w.close();
                    }
                },
                () -> {
                    try (Recording r = new Recording()) {
                        r.enable("dev.morpheus.Yield");
                        r.enable("dev.morpheus.HintAnswered");
                        r.start();
                        MorpheusEvents.yielded("w", YieldCause.VOLUNTARY);
                        r.stop();
                    }
                });
        // 3. Every switch armed, every type registered.
        for (EventSwitch s : EventSwitch.values()) {
            if (!s.isArmed()) {
                fail("switch " + s + " not armed after register()");
            }
        }
        List<String> registered = morpheusEventTypes();
        if (registered.size() != 3) {
            fail("expected the three Morpheus event types registered, found " + registered);
        }
    }

    private static List<String> morpheusEventTypes() {
        return FlightRecorder.getFlightRecorder().getEventTypes().stream().map(EventType::getName)
                .filter(n -> n.startsWith("dev.morpheus.")).sorted().collect(Collectors.toList());
    }

    /** Runs every action on its own thread, all released at once, and waits for them. */
    private static void race(Runnable... actions) throws InterruptedException {
        CyclicBarrier start = new CyclicBarrier(actions.length);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < actions.length; i++) {
            Runnable action = actions[i];
            Thread t = new Thread(() -> {
                await(start);
                action.run();
            }, "race-" + i);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException("race barrier broken", e);
        }
    }

    private static void fail(String why) {
        System.out.println("FAIL: " + why);
        System.exit(1);
    }
}
