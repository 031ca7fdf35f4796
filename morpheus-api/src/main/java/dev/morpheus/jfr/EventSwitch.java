package dev.morpheus.jfr;

import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;

/**
 * Whether JFR currently records an event type, checked without allocating an event: the
 * yield path runs on worker threads and must stay allocation-free while no recording wants it.
 */
enum EventSwitch {
    YIELD(YieldEvent.class),
    HINT(HintAnsweredEvent.class);

    private final EventType type;

    EventSwitch(Class<? extends jdk.jfr.Event> eventClass) {
        this.type = FlightRecorder.isAvailable() ? EventType.getEventType(eventClass) : null;
    }

    boolean isEnabled() {
        return type != null && type.isEnabled();
    }
}
