package dev.morpheus.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A worker answered a hint: why it was posted, how hard the machine was pressed, how long it took.
 * Package-private, without an emit method of its own: only {@link MorpheusEvents} initializes and
 * creates it (see there why).
 */
@Name("dev.morpheus.HintAnswered")
@Label("Morpheus Hint Answered")
@Category({"Morpheus"})
@Description("A Morpheus worker acknowledged a yield hint")
@StackTrace(false)
final class HintAnsweredEvent extends Event {
    @Label("Worker")
    String worker;

    @Label("Reason")
    String reason;

    @Label("Pressure")
    int pressure;

    @Label("Delay")
    @Timespan(Timespan.NANOSECONDS)
    long delay;
}
