package dev.morpheus;

import java.util.Locale;

/** Parses and prints the durations of Morpheus settings ({@code 5ms}, {@code 500us}, {@code 1s}). */
final class Durations {
    private Durations() {}

    /**
     * Parses {@code text}; a malformed value is rejected naming the allowed range [min, max].
     * A negative value ({@code -1ms}) parses, so that the caller's range check rejects it with the
     * range, not as malformed.
     */
    static long parseNanos(String where, String key, String text, long min, long max) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        String malformed = "must be a duration with a unit (ns, us, ms, s) between " + format(min) + " and "
                + format(max) + ", for example 5ms";
        int i = t.startsWith("-") ? 1 : 0;
        while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
            i++;
        }
        String number = t.substring(0, i);
        String unit = t.substring(i);
        long scale = switch (unit) {
            case "ns", "nanos", "nanoseconds" -> 1L;
            case "us", "micros", "microseconds" -> 1_000L;
            case "ms", "millis", "milliseconds" -> 1_000_000L;
            case "s", "seconds" -> 1_000_000_000L;
            default -> -1L;
        };
        if (number.isEmpty() || number.equals("-") || scale < 0) {
            throw new MorpheusConfigException(where, key, text, malformed);
        }
        try {
            return Math.round(Double.parseDouble(number) * scale);
        } catch (NumberFormatException e) {
            throw new MorpheusConfigException(where, key, text, malformed);
        }
    }

    static String format(long nanos) {
        if (nanos < 0) {
            return "-" + format(-nanos);
        }
        if (nanos != 0 && nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos != 0 && nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        if (nanos != 0 && nanos % 1_000L == 0) {
            return nanos / 1_000L + "us";
        }
        return nanos + "ns";
    }
}
