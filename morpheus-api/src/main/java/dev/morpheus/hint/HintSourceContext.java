package dev.morpheus.hint;

/** What a hint source may ask of the runtime that owns it. */
public interface HintSourceContext {

    /** The owning instance's settings that hint sources use, validated. */
    HintSourceSettings settings();

    /**
     * Work waiting for a worker thread right now (for example tasks queued in the dispatcher's
     * executor), summed over every gauge registered with the instance; 0 when there is none.
     */
    long pendingWork();

    /**
     * Moves a worker from one SCB to another (the daemon restarted and handed out a new region).
     * The worker adopts the new binding at its next checkpoint, so the source must keep the old
     * region mapped until it is closed.
     */
    void rebind(ScbBinding old, ScbBinding fresh);
}
