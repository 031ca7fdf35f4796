package dev.morpheus;

/**
 * A configuration value was rejected. The message always names where the setting came from,
 * the key, the value given and what is allowed, for example:
 * {@code my-dispatcher: slice = 50us is out of range: must be between 100us and 1s}.
 */
public final class MorpheusConfigException extends IllegalArgumentException {
    private final String key;
    private final String value;

    public MorpheusConfigException(String where, String key, String value, String allowed) {
        super(where + ": " + key + " = " + value + " " + (allowed.startsWith("must") ? "is invalid: " : "") + allowed);
        this.key = key;
        this.value = value;
    }

    public String key() {
        return key;
    }

    public String value() {
        return value;
    }
}
