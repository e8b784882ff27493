package dev.recur.layers.tokenizer;

import dev.recur.core.RecurException;
import dev.recur.core.io.json.JsonNumber;
import java.util.List;
import java.util.Map;

/**
 * One JSON object of a {@code tokenizer.json}, read with typed getters whose errors name the file and the
 * section path (for example {@code pre_tokenizer.pretokenizers[1].pattern}), the expected and the found value.
 */
final class JsonSection {
    private final String file;
    private final String path;
    private final Map<?, ?> fields;

    JsonSection(String file, String path, Map<?, ?> fields) {
        this.file = file;
        this.path = path;
        this.fields = fields;
    }

    /** Wraps {@code value} as a section, or fails naming {@code path} when it is not a JSON object. */
    static JsonSection of(String file, String path, Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new RecurException(file + ": section '" + path + "' expected a JSON object, got " + describe(value));
        }
        return new JsonSection(file, path, map);
    }

    String file() {
        return file;
    }

    String path() {
        return path;
    }

    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return fields.get(key) != null;
    }

    Object raw(String key) {
        return fields.get(key);
    }

    Map<?, ?> fields() {
        return fields;
    }

    JsonSection section(String key) {
        return of(file, child(key), require(key));
    }

    String string(String key) {
        Object v = require(key);
        if (v instanceof String s) {
            return s;
        }
        throw wrong(key, "a string", v);
    }

    String string(String key, String fallback) {
        return has(key) ? string(key) : fallback;
    }

    boolean bool(String key, boolean fallback) {
        Object v = fields.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw wrong(key, "true or false", v);
    }

    int nonNegativeInt(String key) {
        return toNonNegativeInt(require(key), child(key));
    }

    List<?> list(String key) {
        Object v = require(key);
        if (v instanceof List<?> l) {
            return l;
        }
        throw wrong(key, "an array", v);
    }

    /** The {@code type} field, or fails naming this section. */
    String type() {
        return string("type");
    }

    /** An error about this section as a whole. */
    RecurException error(String message) {
        return new RecurException(file + ": section '" + path + "' " + message);
    }

    /** An error about the field {@code key} of this section. */
    RecurException error(String key, String message) {
        return new RecurException(file + ": section '" + child(key) + "' " + message);
    }

    int toNonNegativeInt(Object v, String where) {
        if (v instanceof JsonNumber n) {
            long value = n.nonNegativeLongOrMinusOne();
            if (value >= 0 && value <= Integer.MAX_VALUE) {
                return (int) value;
            }
        }
        throw new RecurException(file + ": section '" + where + "' expected a non-negative int, got " + describe(v));
    }

    private Object require(String key) {
        Object v = fields.get(key);
        if (v == null) {
            throw new RecurException(file + ": section '" + child(key) + "' is missing");
        }
        return v;
    }

    private RecurException wrong(String key, String expected, Object got) {
        return error(key, "expected " + expected + ", got " + describe(got));
    }

    /** A short, printable description of a JSON value for an error message. */
    static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map<?, ?>) {
            return "an object";
        }
        if (v instanceof List<?> l) {
            return "an array of " + l.size();
        }
        String s = v instanceof String str ? "\"" + str + "\"" : String.valueOf(v);
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
