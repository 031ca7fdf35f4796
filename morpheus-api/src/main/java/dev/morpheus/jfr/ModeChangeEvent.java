package dev.morpheus.jfr;

import dev.morpheus.abi.RuntimeMode;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A Morpheus instance changed runtime mode (DETERMINISTIC, PRESSURED, DEFENSIVE). */
@Name("dev.morpheus.ModeChange")
@Label("Morpheus Mode Change")
@Category({"Morpheus"})
@Description("A Morpheus instance changed its runtime mode")
@StackTrace(false)
public final class ModeChangeEvent extends Event {
    @Label("Instance")
    String instance;

    @Label("From")
    String from;

    @Label("To")
    String to;

    @Label("Reason")
    String reason;

    public static void emit(String instance, RuntimeMode from, RuntimeMode to, String reason) {
        ModeChangeEvent e = new ModeChangeEvent();
        if (e.shouldCommit()) {
            e.instance = instance;
            e.from = from.name();
            e.to = to.name();
            e.reason = reason;
            e.commit();
        }
    }
}
