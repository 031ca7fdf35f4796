package dev.morpheus.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A Morpheus instance changed runtime mode (DETERMINISTIC, PRESSURED, DEFENSIVE). Package-private,
 * without an emit method of its own: only {@link MorpheusEvents} initializes and creates it (see
 * there why).
 */
@Name("dev.morpheus.ModeChange")
@Label("Morpheus Mode Change")
@Category({"Morpheus"})
@Description("A Morpheus instance changed its runtime mode")
@StackTrace(false)
final class ModeChangeEvent extends Event {
    @Label("Instance")
    String instance;

    @Label("From")
    String from;

    @Label("To")
    String to;

    @Label("Reason")
    String reason;
}
