package dev.morpheus.jfr;

import jdk.jfr.EventType;

/**
 * Whether JFR records one Morpheus event type right now, answered on the worker's hot path
 * without allocating and without touching JFR's registry or any event class.
 *
 * <p>A switch starts unarmed (off) and is armed once, by {@link MorpheusEvents#register()},
 * after its event class has been initialized and registered on that one thread. This enum's
 * own initialization touches nothing of JFR: an emit that comes before registration reads an
 * empty volatile field and records nothing, so it can never be the call that initializes an
 * event class (whose JFR-instrumented initializer takes JFR's registry lock) - the lock-order
 * inversion that hung fresh JVMs on their first hint (issue 13).
 */
enum EventSwitch {
    YIELD,
    HINT_ANSWERED,
    MODE_CHANGE;

    /** The registered type, null until armed (or for good, where JFR is unavailable or refused). */
    private volatile EventType type;

    /** Whether a recording wants this event now: one volatile load, one JFR flag read. */
    boolean isEnabled() {
        EventType t = type;
        return t != null && t.isEnabled();
    }

    /** Whether {@link MorpheusEvents#register()} armed this switch with a registered type. */
    boolean isArmed() {
        return type != null;
    }

    void arm(EventType registered) {
        type = registered;
    }
}
