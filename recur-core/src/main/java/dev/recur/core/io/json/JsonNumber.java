package dev.recur.core.io.json;

import java.math.BigDecimal;

/**
 * A JSON number kept as its exact source text, so that a caller decides how strict to be: {@code 3}, {@code 3.0}
 * and {@code 3e0} are different texts, and only the first is an integer literal.
 */
public record JsonNumber(String text) {
    /** True when the literal has no fraction and no exponent. */
    public boolean isIntegerLiteral() {
        return text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
    }

    /**
     * The value as a non-negative {@code long}, or -1 when the literal is not a plain non-negative integer that
     * fits in a {@code long}.
     */
    public long nonNegativeLongOrMinusOne() {
        if (!isIntegerLiteral() || text.startsWith("-") || text.length() > 19) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < text.length(); i++) {
            int digit = text.charAt(i) - '0';
            if (v > (Long.MAX_VALUE - digit) / 10) {
                return -1;
            }
            v = v * 10 + digit;
        }
        return v;
    }

    /** The exact value. */
    public BigDecimal toBigDecimal() {
        return new BigDecimal(text);
    }

    @Override
    public String toString() {
        return text;
    }
}
