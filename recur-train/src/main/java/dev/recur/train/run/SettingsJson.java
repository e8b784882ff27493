package dev.recur.train.run;

import dev.recur.core.RecurException;
import dev.recur.core.io.json.JsonWriter;
import java.util.List;
import java.util.Map;

/** Writes run settings as indented JSON: mappings, lists, text, numbers, booleans and null, nothing else. */
final class SettingsJson {
    private SettingsJson() {}

    static String write(Map<String, ?> values) {
        StringBuilder out = new StringBuilder();
        value(out, values, "");
        return out.toString();
    }

    private static void value(StringBuilder out, Object v, String indent) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof String s) {
            JsonWriter.appendString(out, s);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Boolean) {
            out.append(v);
        } else if (v instanceof Double d && Double.isFinite(d)) {
            out.append(d);
        } else if (v instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                value(out, list.get(i), indent);
                out.append(i + 1 < list.size() ? ", " : "");
            }
            out.append(']');
        } else if (v instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(indent).append("  ");
                JsonWriter.appendString(out, String.valueOf(e.getKey())).append(": ");
                value(out, e.getValue(), indent + "  ");
                out.append(++i < map.size() ? ",\n" : "\n");
            }
            out.append(indent).append('}');
        } else {
            throw new RecurException("run settings: cannot write " + v + " as JSON (expected text, a number, a"
                    + " list or a mapping)");
        }
    }
}
