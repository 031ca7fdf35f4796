package dev.morpheus.hint;

/**
 * A hint source's answer to "can hints be trusted to arrive?".
 * @param ok     false when the source is lost or stale (daemon gone, heartbeat old)
 * @param reason why not, for the log line on the mode change; empty when ok
 */
public record Health(boolean ok, String reason) {
    private static final Health OK = new Health(true, "");

    public static Health healthy() {
        return OK;
    }

    public static Health lost(String reason) {
        return new Health(false, reason);
    }
}
