package dev.morpheus.jfr;

import dev.morpheus.abi.HintReason;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A worker answered a hint: why it was posted, how hard the machine was pressed, how long it took. */
@Name("dev.morpheus.HintAnswered")
@Label("Morpheus Hint Answered")
@Category({"Morpheus"})
@Description("A Morpheus worker acknowledged a yield hint")
@StackTrace(false)
public final class HintAnsweredEvent extends Event {
    @Label("Worker")
    String worker;

    @Label("Reason")
    String reason;

    @Label("Pressure")
    int pressure;

    @Label("Delay")
    @Timespan(Timespan.NANOSECONDS)
    long delay;

    public static void emit(String worker, HintReason reason, int pressure, long delayNanos) {
        if (EventSwitch.HINT.isEnabled()) {
            HintAnsweredEvent e = new HintAnsweredEvent();
            e.worker = worker;
            e.reason = reason.name();
            e.pressure = pressure;
            e.delay = delayNanos;
            e.commit();
        }
    }
}
