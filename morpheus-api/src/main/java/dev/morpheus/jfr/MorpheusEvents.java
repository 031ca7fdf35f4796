package dev.morpheus.jfr;

import dev.morpheus.abi.HintReason;
import dev.morpheus.abi.RuntimeMode;
import dev.morpheus.abi.YieldCause;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one door to Morpheus's JFR events ({@code dev.morpheus.Yield},
 * {@code dev.morpheus.HintAnswered}, {@code dev.morpheus.ModeChange}): registration, once, off
 * the hot path, and the emit calls the runtime makes.
 *
 * <p><b>Why registration is separate.</b> JFR instruments every event class so that its static
 * initializer calls {@code FlightRecorder.register}, which locks JFR's metadata repository;
 * and {@code FlightRecorder.register(c)} initializes {@code c} while holding that lock. So two
 * threads that meet two uninitialized event classes in opposite orders - one initializing
 * {@code HintAnsweredEvent} (lock wanted), one registering it (lock held, initializer wanted) -
 * deadlock for good. That happened on the first hint of fresh JVMs (issue 13), because the
 * emits were static methods of the event classes and the first emit initialized them.
 *
 * <p><b>The design.</b>
 * <ul>
 *   <li>{@link #register()} initializes and registers every event class, one after another, on
 *       the calling thread, under one lock of this class; {@code Morpheus.open} calls it
 *       before it starts any thread of its own. Each class is initialized before it is
 *       registered, so the explicit registration never waits on an initializer.</li>
 *   <li>The emit methods ({@link #yielded}, {@link #hintAnswered}, {@link #modeChanged}) live
 *       here, not on the event classes, and consult an {@link EventSwitch} first: before
 *       registration the switch is off and the event class is not touched at all. An event
 *       object is created only when a recording wants it, which implies its class is already
 *       initialized and registered.</li>
 *   <li>The event classes are package-private: nothing outside this door can initialize them.</li>
 * </ul>
 * Telemetry never takes a worker down: where JFR is unavailable or refuses a class, its switch
 * stays off (logged once, at WARN).
 */
public final class MorpheusEvents {
    private static final Logger LOG = LoggerFactory.getLogger(MorpheusEvents.class);
    private static final Object REGISTRATION_LOCK = new Object();
    private static volatile boolean registered;

    private MorpheusEvents() {}

    /**
     * Initializes and registers every Morpheus event class with JFR, once per JVM (later calls
     * return at once). Call it from a thread that holds no lock (Morpheus.open does); never
     * from an emit path.
     */
    public static void register() {
        if (registered) {
            return;
        }
        synchronized (REGISTRATION_LOCK) {
            if (registered) {
                return;
            }
            if (jfrAvailable()) {
                EventSwitch.YIELD.arm(registerEventClass(YieldEvent.class));
                EventSwitch.HINT_ANSWERED.arm(registerEventClass(HintAnsweredEvent.class));
                EventSwitch.MODE_CHANGE.arm(registerEventClass(ModeChangeEvent.class));
            }
            registered = true;
        }
    }

    /** Whether {@link #register()} has run in this JVM. */
    public static boolean isRegistered() {
        return registered;
    }

    private static boolean jfrAvailable() {
        try {
            return FlightRecorder.isAvailable();
        } catch (RuntimeException | LinkageError e) { // a runtime image without jdk.jfr, for one
            LOG.warn("Morpheus JFR events are off: JFR is not usable here: {}", e.toString());
            return false;
        }
    }

    /**
     * Initializes {@code eventClass} on this thread (its JFR-instrumented initializer registers
     * it), then registers it explicitly (a no-op for a class registered already) and returns its
     * type; null, logged, where JFR refuses it. Caller holds {@link #REGISTRATION_LOCK}, or is a
     * test with a class of its own.
     */
    static EventType registerEventClass(Class<? extends Event> eventClass) {
        try {
            Class.forName(eventClass.getName(), true, eventClass.getClassLoader());
            FlightRecorder.register(eventClass);
            return EventType.getEventType(eventClass);
        } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
            LOG.warn("Morpheus JFR event {} is off: JFR refused to register it: {}", eventClass.getName(), e.toString());
            return null;
        }
    }

    // ------------------------------------------------------------------ emit paths (hot: no allocation while off)

    /** A worker gave up its thread; {@code cause} is the yield ledger's. */
    public static void yielded(String worker, YieldCause cause) {
        if (EventSwitch.YIELD.isEnabled()) {
            YieldEvent e = new YieldEvent();
            e.worker = worker;
            e.cause = cause.name();
            e.commit();
        }
    }

    /** A worker answered a hint posted for {@code reason}, {@code delayNanos} after it was posted. */
    public static void hintAnswered(String worker, HintReason reason, int pressure, long delayNanos) {
        if (EventSwitch.HINT_ANSWERED.isEnabled()) {
            HintAnsweredEvent e = new HintAnsweredEvent();
            e.worker = worker;
            e.reason = reason.name();
            e.pressure = pressure;
            e.delay = delayNanos;
            e.commit();
        }
    }

    /** An instance changed its runtime mode (housekeeper thread). */
    public static void modeChanged(String instance, RuntimeMode from, RuntimeMode to, String reason) {
        if (EventSwitch.MODE_CHANGE.isEnabled()) {
            ModeChangeEvent e = new ModeChangeEvent();
            e.instance = instance;
            e.from = from.name();
            e.to = to.name();
            e.reason = reason;
            e.commit();
        }
    }
}
