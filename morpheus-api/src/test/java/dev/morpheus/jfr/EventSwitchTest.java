package dev.morpheus.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Name;
import org.junit.jupiter.api.Test;

class EventSwitchTest {
    /**
     * An event class nothing in this JVM has initialized: the state the second Morpheus event
     * is in. (A JMH fork died on {@code EventType.getEventType} throwing "not registered" for
     * such a class; a plain test JVM does not reproduce the throw, so this checks the explicit
     * registration's result.)
     */
    @Name("dev.morpheus.test.NeverEmitted")
    static final class NeverEmittedEvent extends Event {}

    @Test
    void anEventClassNotYetInitializedIsRegisteredInsteadOfThrowing() {
        assertTrue(FlightRecorder.isAvailable(), "JFR is available on the JDKs this project supports");
        EventType type = EventSwitch.typeOf(NeverEmittedEvent.class);
        assertNotNull(type);
        assertEquals("dev.morpheus.test.NeverEmitted", type.getName());
    }

    @Test
    void bothMorpheusSwitchesInitialize() {
        for (EventSwitch s : EventSwitch.values()) {
            s.isEnabled(); // must not throw, whichever event comes first
        }
    }
}
