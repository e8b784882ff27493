package dev.recur.train.checkpoint;

import dev.recur.core.RecurException;
import dev.recur.core.io.json.JsonNumber;
import dev.recur.core.io.json.JsonParser;
import dev.recur.core.io.json.JsonWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code trainer.json}: one JSON object with fixed keys, integers as plain literals (exact for any long),
 * doubles in Java's round-trip notation and non-finite doubles as null.
 */
final class TrainerStateJson {
    static final String FORMAT = "recur-trainer-state/1";
    private static final Set<String> KEYS = Set.of("format", "step", "tokens_seen", "data_position", "seeds",
            "scalars");

    private TrainerStateJson() {}

    static String write(TrainerState s) {
        StringBuilder out = new StringBuilder("{\n");
        out.append("  \"format\": ");
        JsonWriter.appendString(out, FORMAT).append(",\n");
        out.append("  \"step\": ").append(s.step()).append(",\n");
        out.append("  \"tokens_seen\": ").append(s.tokensSeen()).append(",\n");
        out.append("  \"data_position\": ").append(s.dataPosition()).append(",\n");
        out.append("  \"seeds\": {");
        appendEntries(out, s.seeds(), v -> Long.toString(v));
        out.append("},\n  \"scalars\": {");
        appendEntries(out, s.scalars(), v -> Double.isFinite(v) ? Double.toString(v) : "null");
        out.append("}\n}\n");
        return out.toString();
    }

    private static <V> void appendEntries(StringBuilder out, Map<String, V> map,
                                          java.util.function.Function<V, String> format) {
        boolean first = true;
        for (Map.Entry<String, V> e : map.entrySet()) {
            out.append(first ? "" : ", ");
            JsonWriter.appendString(out, e.getKey()).append(": ").append(format.apply(e.getValue()));
            first = false;
        }
    }

    static TrainerState read(String source, String text) {
        Object parsed = JsonParser.parse(text);
        if (!(parsed instanceof Map<?, ?> root)) {
            throw new RecurException(source + ": expected a JSON object");
        }
        for (Object key : root.keySet()) {
            if (!KEYS.contains(key)) {
                throw new RecurException(source + ": unexpected key '" + key + "', expected " + KEYS);
            }
        }
        if (!FORMAT.equals(root.get("format"))) {
            throw new RecurException(source + ": format expected \"" + FORMAT + "\", got " + root.get("format"));
        }
        long step = longField(source, "step", root.get("step"));
        long tokens = longField(source, "tokens_seen", root.get("tokens_seen"));
        long position = longField(source, "data_position", root.get("data_position"));
        Map<String, Long> seeds = new LinkedHashMap<>();
        object(source, "seeds", root.get("seeds")).forEach((k, v) -> seeds.put(k, longField(source,
                "seeds." + k, v)));
        Map<String, Double> scalars = new LinkedHashMap<>();
        object(source, "scalars", root.get("scalars")).forEach((k, v) -> scalars.put(k, doubleField(source,
                "scalars." + k, v)));
        return new TrainerState(step, tokens, position, seeds, scalars);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String source, String field, Object value) {
        if (!(value instanceof Map<?, ?>)) {
            throw new RecurException(source + ": " + field + " expected a JSON object, got " + describe(value));
        }
        return (Map<String, Object>) value;
    }

    private static long longField(String source, String field, Object value) {
        if (value instanceof JsonNumber n && n.isIntegerLiteral()) {
            try {
                return n.toBigDecimal().longValueExact();
            } catch (ArithmeticException e) {
                throw new RecurException(source + ": " + field + " expected a 64-bit integer, got " + n);
            }
        }
        throw new RecurException(source + ": " + field + " expected an integer, got " + describe(value));
    }

    private static double doubleField(String source, String field, Object value) {
        if (value == null) {
            return Double.NaN;
        }
        if (value instanceof JsonNumber n) {
            // JSON number syntax is a subset of Java's, and parseDouble rounds correctly (and keeps -0.0).
            return Double.parseDouble(n.text());
        }
        throw new RecurException(source + ": " + field + " expected a number or null, got " + describe(value));
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof List<?>) {
            return "an array";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        return value instanceof String s ? "the string \"" + s + "\"" : value.toString();
    }
}
