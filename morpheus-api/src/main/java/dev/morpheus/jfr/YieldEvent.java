package dev.morpheus.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A worker gave up its thread; the cause is the yield ledger's. Package-private, without an emit
 * method of its own: only {@link MorpheusEvents} initializes and creates it (see there why).
 */
@Name("dev.morpheus.Yield")
@Label("Morpheus Yield")
@Category({"Morpheus"})
@Description("A Morpheus worker yielded its thread")
@StackTrace(false)
final class YieldEvent extends Event {
    @Label("Worker")
    String worker;

    @Label("Cause")
    String cause;
}
