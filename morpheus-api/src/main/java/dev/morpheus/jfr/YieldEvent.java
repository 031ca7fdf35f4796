package dev.morpheus.jfr;

import dev.morpheus.abi.YieldCause;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A worker gave up its thread; the cause is the yield ledger's. */
@Name("dev.morpheus.Yield")
@Label("Morpheus Yield")
@Category({"Morpheus"})
@Description("A Morpheus worker yielded its thread")
@StackTrace(false)
public final class YieldEvent extends Event {
    @Label("Worker")
    String worker;

    @Label("Cause")
    String cause;

    /** Commits an event if JFR records this type; allocation-free when it does not. */
    public static void emit(String worker, YieldCause cause) {
        if (EventSwitch.YIELD.isEnabled()) {
            YieldEvent e = new YieldEvent();
            e.worker = worker;
            e.cause = cause.name();
            e.commit();
        }
    }
}
