package dev.recur.layers.lm;

import dev.recur.core.RecurException;
import dev.recur.core.io.json.JsonNumber;
import dev.recur.core.io.json.JsonParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A transformers {@code config.json}, read with typed getters whose errors name the file, the field, the
 * expected type and the value found.
 */
public final class HfConfig {
    private final Path path;
    private final Map<?, ?> fields;

    private HfConfig(Path path, Map<?, ?> fields) {
        this.path = path;
        this.fields = fields;
    }

    public static HfConfig read(Path file) throws IOException {
        Object json = JsonParser.parse(Files.readString(file, StandardCharsets.UTF_8));
        if (!(json instanceof Map)) {
            throw new RecurException(file + ": expected a JSON object");
        }
        return new HfConfig(file, (Map<?, ?>) json);
    }

    /** A config built in code (tests, converters); {@code where} names it in errors. */
    public static HfConfig of(String where, Map<String, ?> fields) {
        return new HfConfig(Path.of(where), fields);
    }

    public Path path() {
        return path;
    }

    public String modelType() {
        return string("model_type");
    }

    public boolean has(String field) {
        return fields.containsKey(field) && fields.get(field) != null;
    }

    public int integer(String field) {
        Object v = require(field);
        BigDecimal d = decimal(v);
        if (d != null) {
            try {
                return d.intValueExact();
            } catch (ArithmeticException notAnInt) {
                // a fraction or out of int range: reported below
            }
        }
        throw wrong(field, "an integer", v);
    }

    public int integer(String field, int fallback) {
        return has(field) ? integer(field) : fallback;
    }

    public double number(String field) {
        Object v = require(field);
        BigDecimal d = decimal(v);
        if (d != null) {
            return d.doubleValue();
        }
        throw wrong(field, "a number", v);
    }

    public double number(String field, double fallback) {
        return has(field) ? number(field) : fallback;
    }

    public boolean bool(String field, boolean fallback) {
        if (!has(field)) {
            return fallback;
        }
        Object v = fields.get(field);
        if (v instanceof Boolean b) {
            return b;
        }
        throw wrong(field, "true or false", v);
    }

    public String string(String field) {
        Object v = require(field);
        if (v instanceof String s) {
            return s;
        }
        throw wrong(field, "a string", v);
    }

    public String string(String field, String fallback) {
        return has(field) ? string(field) : fallback;
    }

    /** A JSON array field. */
    public List<?> list(String field) {
        Object v = require(field);
        if (v instanceof List<?> l) {
            return l;
        }
        throw wrong(field, "an array", v);
    }

    /** The raw value (null when absent). */
    public Object raw(String field) {
        return fields.get(field);
    }

    /**
     * A numeric value as an exact decimal: files give {@link JsonNumber} (the literal's text), configs built in
     * code give boxed numbers; anything else is null.
     */
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

    private Object require(String field) {
        if (!has(field)) {
            throw new RecurException(path + ": missing field '" + field + "'");
        }
        return fields.get(field);
    }

    private RecurException wrong(String field, String expected, Object got) {
        return new RecurException(path + ": field '" + field + "' expected " + expected + ", got " + got);
    }
}
