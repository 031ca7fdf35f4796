package dev.morpheus.samples.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.Locale;

/**
 * Axis tick labels in the report's short form: 1.5M, 250k, 12, 0.05 (at most two decimals past
 * the k/M scale, three significant digits below 1). Format only: parsing is not supported.
 */
final class CompactFormat extends NumberFormat {
    private static final long serialVersionUID = 1L;

    static String text(double v) {
        double a = Math.abs(v);
        if (a >= 1e6) {
            return trimZero(v / 1e6) + "M";
        }
        if (a >= 1e3) {
            return trimZero(v / 1e3) + "k";
        }
        if (a >= 1 || a == 0) {
            return trimZero(v);
        }
        return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private static String trimZero(double v) {
        return String.format(Locale.ROOT, "%.2f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    @Override
    public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
        return toAppendTo.append(text(number));
    }

    @Override
    public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
        return toAppendTo.append(text(number));
    }

    @Override
    public Number parse(String source, ParsePosition parsePosition) {
        throw new UnsupportedOperationException("CompactFormat only formats");
    }
}
