package dev.morpheus.hint;

/** A hint source could not do what was asked (no slot, daemon refused, not available here). */
public class HintSourceException extends Exception {
    public HintSourceException(String message) {
        super(message);
    }

    public HintSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
