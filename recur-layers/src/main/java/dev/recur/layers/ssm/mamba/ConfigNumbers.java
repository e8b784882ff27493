package dev.recur.layers.ssm.mamba;

import dev.recur.core.RecurException;
import dev.recur.core.io.json.JsonNumber;
import dev.recur.layers.lm.HfConfig;
import java.math.BigDecimal;

/**
 * Numeric fields of a {@code config.json}, read whether the parser gave a {@link Number} (configs built in
 * code) or a {@link JsonNumber} (files, whose numbers keep their source text); errors name the file, the field,
 * the expected type and the value found.
 */
final class ConfigNumbers {
    private ConfigNumbers() {}

    static int integer(HfConfig c, String field) {
        Object v = c.raw(field);
        if (v == null) {
            throw new RecurException(c.path() + ": missing field '" + field + "'");
        }
        BigDecimal d = decimal(v);
        if (d != null) {
            try {
                return d.intValueExact();
            } catch (ArithmeticException e) {
                // not an integer, or out of int range: reported below
            }
        }
        throw new RecurException(c.path() + ": field '" + field + "' expected an integer, got " + v);
    }

    static int integer(HfConfig c, String field, int fallback) {
        return c.has(field) ? integer(c, field) : fallback;
    }

    static double number(HfConfig c, String field, double fallback) {
        if (!c.has(field)) {
            return fallback;
        }
        Object v = c.raw(field);
        BigDecimal d = decimal(v);
        if (d == null) {
            throw new RecurException(c.path() + ": field '" + field + "' expected a number, got " + v);
        }
        return d.doubleValue();
    }

    private static BigDecimal decimal(Object v) {
        if (v instanceof JsonNumber n) {
            return n.toBigDecimal();
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return BigDecimal.valueOf(n.doubleValue());
        }
        return null;
    }
}
