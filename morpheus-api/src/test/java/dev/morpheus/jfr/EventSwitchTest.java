package dev.morpheus.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.morpheus.abi.YieldCause;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/** Registration through {@link MorpheusEvents} and the switches it arms (the first-use race: {@link JfrFirstUseRaceTest}). */
class EventSwitchTest {
    /**
     * An event class nothing in this JVM has initialized: the state every Morpheus event is in
     * before {@link MorpheusEvents#register()}. ({@code EventType.getEventType} throws "not
     * registered" for such a class; registration initializes it first.)
     */
    @Name("dev.morpheus.test.NeverEmitted")
    static final class NeverEmittedEvent extends Event {}

    @Test
    void anEventClassNotYetInitializedIsRegisteredInsteadOfThrowing() {
        assertTrue(FlightRecorder.isAvailable(), "JFR is available on the JDKs this project supports");
        EventType type = MorpheusEvents.registerEventClass(NeverEmittedEvent.class);
        assertNotNull(type);
        assertEquals("dev.morpheus.test.NeverEmitted", type.getName());
    }

    @Test
    void registrationArmsEverySwitchAndASwitchFollowsTheRecordingsThatWantItsEvent() throws Exception {
        MorpheusEvents.register();
        assertTrue(MorpheusEvents.isRegistered());
        for (EventSwitch s : EventSwitch.values()) {
            assertTrue(s.isArmed(), s + " armed by register()");
        }
        assertFalse(EventSwitch.YIELD.isEnabled(), "no recording wants dev.morpheus.Yield yet");
        Path file = Files.createTempFile("morpheus-events-", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.morpheus.Yield");
            recording.disable("dev.morpheus.ModeChange"); // user events are enabled by default
            recording.start();
            assertTrue(EventSwitch.YIELD.isEnabled(), "a recording wants dev.morpheus.Yield");
            assertFalse(EventSwitch.MODE_CHANGE.isEnabled(), "the recording disabled dev.morpheus.ModeChange");
            MorpheusEvents.yielded("switch-test-worker", YieldCause.VOLUNTARY);
            recording.stop();
            recording.dump(file);
            assertFalse(EventSwitch.YIELD.isEnabled(), "the recording stopped");
            List<RecordedEvent> yields = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("dev.morpheus.Yield")).toList();
            assertEquals(1, yields.size(), yields.toString());
            assertEquals("switch-test-worker", yields.get(0).getString("worker"));
            assertEquals("VOLUNTARY", yields.get(0).getString("cause"));
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
