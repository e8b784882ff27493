package dev.recur.cli.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.recur.core.RecurException;
import dev.recur.train.run.RunSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The effective configuration of {@code recur train}, merged from four layers, each overriding the one before:
 * the options' defaults, a configuration file ({@code --config FILE}), the options given on the command line,
 * and {@code --set key=value} overrides. The keys are the command's option names without the dashes, with
 * {@code _} for {@code -} ({@code --seq-len} is {@code seq_len}); task parameters ({@code -p}) are the map
 * {@code params}, set one entry at a time with a dotted key ({@code params.n}). Unknown keys and values of the
 * wrong type fail with one line naming the file or {@code --set}, the key, the expected and the got. The merged
 * values become the run's {@link RunSettings} under the same keys; nothing is written back into the options.
 */
public final class TrainSettings {
    /** Where a key's value came from. */
    public enum Source {
        DEFAULT("default"), FILE("config file"), FLAG("command line"), SET("--set");

        private final String label;

        Source(String label) {
            this.label = label;
        }
    }

    private static final Map<String, String> KEY_NAMES = Map.of("--param", "params");

    /** The smallest value each numeric key accepts (checked with the key's source named). */
    private static final Map<String, Double> AT_LEAST = Map.ofEntries(Map.entry("width", 1.0),
            Map.entry("layers", 1.0), Map.entry("steps", 1.0), Map.entry("seq_len", 1.0), Map.entry("batch", 1.0),
            Map.entry("clip", 0.0), Map.entry("weight_decay", 0.0), Map.entry("eval_every", 0.0),
            Map.entry("checkpoint_every", 0.0), Map.entry("heads", 1.0));

    private final Map<String, OptionSpec> options = new LinkedHashMap<>();
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, Source> sources = new LinkedHashMap<>();
    private final Map<String, String> places = new LinkedHashMap<>();
    private final Map<String, Object> defaults = new LinkedHashMap<>();

    private TrainSettings() {}

    /**
     * Merges the layers for the options of {@code spec} other than {@code excluded} (e.g. {@code --config}).
     *
     * @param configFile the configuration file, or null
     * @param sets the {@code --set} overrides, {@code key=value} each, applied in order
     */
    public static TrainSettings merge(CommandSpec spec, ParseResult parsed, Path configFile, List<String> sets,
                                      Set<String> excluded) throws IOException {
        TrainSettings s = new TrainSettings();
        for (OptionSpec o : spec.options()) {
            if (excluded.contains(o.longestName())) {
                continue;
            }
            String key = KEY_NAMES.getOrDefault(o.longestName(),
                    o.longestName().replaceFirst("^-+", "").replace('-', '_'));
            s.options.put(key, o);
            Object initial = o.getValue();
            if (isMap(o)) {
                initial = new LinkedHashMap<String, String>();
            }
            s.values.put(key, initial);
            s.defaults.put(key, defaultOf(o, key));
            s.sources.put(key, Source.DEFAULT);
        }
        if (configFile != null) {
            for (Map.Entry<String, JsonNode> e : ConfigFile.read(configFile).entrySet()) {
                s.put(e.getKey(), e.getValue(), Source.FILE, configFile.toString());
            }
        }
        for (Map.Entry<String, OptionSpec> e : s.options.entrySet()) {
            OptionSpec o = e.getValue();
            if (parsed.hasMatchedOption(o)) {
                if (isMap(o)) {
                    Map<String, String> given = o.getValue();
                    for (Map.Entry<String, String> p : given.entrySet()) {
                        s.mapOf(e.getKey()).put(p.getKey(), p.getValue());
                    }
                } else {
                    s.values.put(e.getKey(), o.getValue());
                }
                s.sources.put(e.getKey(), Source.FLAG);
                s.places.put(e.getKey(), o.longestName());
            }
        }
        for (String set : sets) {
            int eq = set.indexOf('=');
            if (eq <= 0) {
                throw new RecurException("--set " + set + ": expected key=value");
            }
            s.put(set.substring(0, eq).trim(), set.substring(eq + 1), Source.SET, "--set " + set);
        }
        s.checkRanges();
        return s;
    }

    /** Numeric keys below their least value, and a learning rate that is not positive, name where they came from. */
    private void checkRanges() {
        values.forEach((key, v) -> {
            Double least = AT_LEAST.get(key);
            boolean bad = v instanceof Number n && (least != null ? n.doubleValue() < least
                    : key.equals("lr") && !(n.doubleValue() > 0));
            if (bad) {
                String where = places.getOrDefault(key, "default");
                throw new RecurException(where + ": key '" + key + "': expected "
                        + (least != null ? ">= " + (least == 1.0 ? "1" : "0") : "> 0") + ", got " + v);
            }
        });
    }

    /** The merged settings, under the same keys, as the run API takes them. */
    public RunSettings toRunSettings() {
        return new RunSettings(asJsonValues(), "recur train");
    }

    /**
     * Whether {@code key} holds a value other than its default (so a saved configuration that repeats a default
     * does not count as giving it).
     */
    public boolean given(String key) {
        Object v = get(key);
        return v != null && !(v instanceof String t && t.isEmpty()) && !(v instanceof List<?> l && l.isEmpty())
                && !(v instanceof Map<?, ?> m && m.isEmpty()) && !v.equals(defaults.get(key));
    }

    /** The effective value of {@code key} (null where unset, e.g. no {@code text}). */
    public Object get(String key) {
        if (!values.containsKey(key)) {
            throw new RecurException("train settings: no key '" + key + "', expected one of " + values.keySet());
        }
        return values.get(key);
    }

    /** Every key and its value, as JSON would hold them (paths as text, the task parameters as a mapping). */
    public Map<String, Object> asJsonValues() {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, v instanceof Path p ? p.toString() : v));
        return out;
    }

    /** One line per key: its value and where it came from. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        int width = values.keySet().stream().mapToInt(String::length).max().orElse(4);
        values.forEach((k, v) -> lines.add(String.format(Locale.ROOT, "  %-" + width + "s = %s  (%s)", k,
                v == null ? "-" : v, sources.get(k).label)));
        return lines;
    }

    /** The effective configuration as indented JSON. */
    public String toJson() {
        return toJson(asJsonValues());
    }

    private static String toJson(Map<String, Object> values) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new RecurException("train settings: cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The option's declared default (the options themselves already hold the parsed values). */
    private static Object defaultOf(OptionSpec o, String key) {
        if (isMap(o)) {
            return new LinkedHashMap<String, String>();
        }
        if (o.defaultValue() == null) {
            return List.class.isAssignableFrom(o.type()) ? new ArrayList<String>() : null;
        }
        return convert(o, o.defaultValue(), key, "default");
    }

    private static boolean isMap(OptionSpec o) {
        return Map.class.isAssignableFrom(o.type());
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> mapOf(String key) {
        Object v = values.get(key);
        Map<String, String> m = v == null ? new LinkedHashMap<>() : new LinkedHashMap<>((Map<String, String>) v);
        values.put(key, m);
        return m;
    }

    /** Sets {@code key} (dotted for a map entry) from a config value or a {@code --set} text. */
    private void put(String key, Object raw, Source source, String where) {
        int dot = key.indexOf('.');
        String head = dot < 0 ? key : key.substring(0, dot);
        OptionSpec o = options.get(head);
        if (o == null || (dot >= 0) != isMap(o)) {
            String shape = o == null ? "unknown key" : dot >= 0 ? "'" + head + "' is not a mapping" : "'" + head
                    + "' is a mapping; give its entries as " + head + ".NAME";
            throw new RecurException(where + ": " + shape + " ('" + key + "'); expected one of "
                    + new TreeMap<>(options).keySet());
        }
        if (dot >= 0) {
            String entry = key.substring(dot + 1);
            if (entry.isEmpty()) {
                throw new RecurException(where + ": key '" + key + "': expected " + head + ".NAME, got an empty name");
            }
            mapOf(head).put(entry, text(raw, key, where));
        } else {
            values.put(key, convert(o, raw, key, where));
        }
        sources.put(head, source);
        places.put(head, where);
    }

    private static String text(Object raw, String key, String where) {
        if (raw instanceof JsonNode n) {
            if (n.isContainerNode() || n.isNull()) {
                throw new RecurException(where + ": key '" + key + "': expected a plain value, got " + n);
            }
            return n.asText();
        }
        return (String) raw;
    }

    private static Object convert(OptionSpec o, Object raw, String key, String where) {
        Class<?> type = o.type();
        if (raw instanceof JsonNode n && n.isNull()) {
            if (type.isPrimitive()) {
                throw new RecurException(where + ": key '" + key + "': expected " + expected(type) + ", got null");
            }
            return null;
        }
        if (List.class.isAssignableFrom(type)) {
            if (raw instanceof JsonNode n && n.isArray()) {
                List<String> items = new ArrayList<>();
                n.forEach(item -> items.add(item.asText().trim()));
                return items;
            }
            String t = text(raw, key, where);
            return new ArrayList<>(Arrays.stream(t.split(",")).map(String::trim).toList());
        }
        if (raw instanceof JsonNode n) {
            boolean fits = switch (expected(type)) {
                case "an integer" -> n.isIntegralNumber() && (type == long.class ? n.canConvertToLong()
                        : n.canConvertToInt());
                case "a number" -> n.isNumber() && Double.isFinite(n.doubleValue());
                default -> n.isTextual();
            };
            if (!fits) {
                throw new RecurException(where + ": key '" + key + "': expected " + expected(type) + ", got " + n);
            }
            raw = n.asText();
        }
        String t = ((String) raw).trim();
        try {
            if (type == int.class || type == Integer.class) {
                return Integer.parseInt(t);
            }
            if (type == long.class || type == Long.class) {
                return Long.parseLong(t);
            }
            if (type == double.class || type == Double.class) {
                double d = Double.parseDouble(t);
                if (!Double.isFinite(d)) {
                    throw new NumberFormatException();
                }
                return d;
            }
        } catch (NumberFormatException e) {
            throw new RecurException(where + ": key '" + key + "': expected " + expected(type) + ", got '" + t + "'");
        }
        if (type == Path.class) {
            return Path.of(t);
        }
        return t;
    }

    private static String expected(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        return "a text";
    }

    /** Every key, sorted (for messages and help). */
    public Collection<String> keys() {
        return new TreeMap<>(options).keySet();
    }
}
