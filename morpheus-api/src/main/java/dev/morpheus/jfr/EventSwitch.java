package dev.morpheus.jfr;

import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;

/**
 * Whether JFR currently records an event type, checked without allocating an event: the
 * yield path runs on worker threads and must stay allocation-free while no recording wants it.
 *
 * <p>Each event class is registered explicitly: {@code EventType.getEventType} throws for an
 * event class the JVM has not initialized yet, which is the case for whichever of the two
 * events a fresh JVM emits second (a worker that answers a hint before it ever yielded then
 * died in this class's initializer). Telemetry never takes a worker down: if JFR refuses,
 * the switch stays off.
 */
enum EventSwitch {
    YIELD(YieldEvent.class),
    HINT(HintAnsweredEvent.class);

    private final EventType type;

    EventSwitch(Class<? extends Event> eventClass) {
        this.type = typeOf(eventClass);
    }

    /** The registered type of {@code eventClass}, or null where JFR is unavailable or refuses it. */
    static EventType typeOf(Class<? extends Event> eventClass) {
        if (!FlightRecorder.isAvailable()) {
            return null;
        }
        try {
            FlightRecorder.register(eventClass);
            return EventType.getEventType(eventClass);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    boolean isEnabled() {
        return type != null && type.isEnabled();
    }
}
