package dev.recur.train.run;

import dev.recur.core.RecurException;
import dev.recur.core.io.AtomicFiles;
import dev.recur.core.io.json.JsonException;
import dev.recur.core.io.json.JsonNumber;
import dev.recur.core.io.json.JsonParser;
import dev.recur.train.loop.LoopConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of one {@code recur train} run, under one name per quantity from the command line to the run
 * folder: the keys are the options' names without the dashes, {@code _} for {@code -} ({@code --seq-len} is
 * {@code seq_len}, {@code --width} is {@code width}), and task parameters are the mapping {@code params}. The
 * command line merges defaults, a configuration file, flags and {@code --set} into these values; the run is
 * built from them, saves them as {@value #FILE} in its folder, and a resumed run reads them back from there.
 * Values are plain JSON values (text, numbers, lists of text, a mapping of text), checked as they are read,
 * each error naming {@link #where()} and the key.
 */
public final class RunSettings {
    /** The file in a run folder that holds the settings. */
    public static final String FILE = "train_config.json";
    /** Held-out streams of a language model's evaluation pass. */
    public static final int EVAL_BATCH = 16;
    /** Checkpoints kept in a run folder. */
    public static final int KEEP_CHECKPOINTS = 3;

    private final Map<String, Object> values;
    private final String where;

    /**
     * @param values the settings by key (copied)
     * @param where names their source in errors ({@code recur train}, or the file read)
     */
    public RunSettings(Map<String, ?> values, String where) {
        if (values == null || where == null) {
            throw new RecurException("run settings: expected values and where they came from, got null");
        }
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.where = where;
    }

    /** The settings saved in {@code runDir}. */
    public static RunSettings read(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file + " (not a run folder of recur train)");
        }
        Object json;
        try {
            json = JsonParser.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonException e) {
            throw new RecurException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!(json instanceof Map<?, ?> map)) {
            throw new RecurException(file + ": expected a mapping of keys to values");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put((String) k, plain(v)));
        return new RunSettings(out, file.toString());
    }

    private static Object plain(Object v) {
        if (v instanceof JsonNumber n) {
            if (n.isIntegerLiteral()) {
                try {
                    return n.toBigDecimal().longValueExact();
                } catch (ArithmeticException beyondLong) {
                    return n.toBigDecimal().doubleValue();
                }
            }
            return n.toBigDecimal().doubleValue();
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(i -> out.add(plain(i)));
            return out;
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, x) -> out.put((String) k, plain(x)));
            return out;
        }
        return v;
    }

    /** Writes {@value #FILE} into {@code runDir}, atomically. */
    public void write(Path runDir) throws IOException {
        AtomicFiles.write(runDir.resolve(FILE), (SettingsJson.write(values) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Every key and its value, in order. */
    public Map<String, Object> values() {
        return values;
    }

    public String where() {
        return where;
    }

    /** These settings with {@code key} set to {@code value} (e.g. the run folder once made). */
    public RunSettings with(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(values);
        m.put(key, value instanceof Path p ? p.toString() : value);
        return new RunSettings(m, where);
    }

    /** Whether {@code key} holds a value other than null, empty text, an empty list or an empty mapping. */
    public boolean present(String key) {
        Object v = values.get(key);
        return v != null && !(v instanceof String s && s.isEmpty()) && !(v instanceof List<?> l && l.isEmpty())
                && !(v instanceof Map<?, ?> m && m.isEmpty());
    }

    /** The text at {@code key}, or null when absent. */
    public String text(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        throw wrong(key, "a text", v);
    }

    /** The path at {@code key}, or null when absent. */
    public Path path(String key) {
        return present(key) ? Path.of(text(key)) : null;
    }

    public long integer(String key) {
        Object v = require(key);
        if (v instanceof Long || v instanceof Integer) {
            return ((Number) v).longValue();
        }
        throw wrong(key, "an integer", v);
    }

    /** The integer at {@code key}, which must fit an int. */
    public int smallInteger(String key) {
        long v = integer(key);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw wrong(key, "an integer of at most " + Integer.MAX_VALUE, v);
        }
        return (int) v;
    }

    public double number(String key) {
        Object v = require(key);
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw wrong(key, "a finite number", v);
    }

    /** The list at {@code key} (text split at commas too), empty when absent. */
    public List<String> list(String key) {
        Object v = values.get(key);
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            l.forEach(i -> out.add(String.valueOf(i).trim()));
        } else if (v != null) {
            for (String s : text(key).split(",")) {
                out.add(s.trim());
            }
        }
        out.removeIf(String::isEmpty);
        return out;
    }

    /** The mapping at {@code key} with its values as text, empty when absent. */
    public Map<String, String> mapping(String key) {
        Object v = values.get(key);
        Map<String, String> out = new LinkedHashMap<>();
        if (v instanceof Map<?, ?> m) {
            m.forEach((k, x) -> out.put(String.valueOf(k), String.valueOf(x)));
        } else if (v != null) {
            throw wrong(key, "a mapping", v);
        }
        return out;
    }

    // The quantities, one name each.

    public String model() {
        return text("model");
    }

    public int width() {
        return positive("width");
    }

    public int layers() {
        return positive("layers");
    }

    /** SwiGLU units per block of a layer-spec model (0: none; absent in folders from before the key). */
    public int mlp() {
        int v = values.containsKey("mlp") ? smallInteger("mlp") : 0;
        if (v < 0) {
            throw wrong("mlp", ">= 0", v);
        }
        return v;
    }

    public long steps() {
        return integer("steps");
    }

    public int batch() {
        return positive("batch");
    }

    public int seqLen() {
        return positive("seq_len");
    }

    public long seed() {
        return integer("seed");
    }

    public int heads() {
        return positive("heads");
    }

    /** The optimiser's name ({@value LoopConfig#ADAMW} in folders from before the key). */
    public String optimizer() {
        return present("optimizer") ? text("optimizer") : LoopConfig.ADAMW;
    }

    /** The training loop's settings. */
    public LoopConfig loopConfig() {
        try {
            return new LoopConfig(steps(), optimizer(), number("lr"), text("schedule"), number("clip"),
                    number("weight_decay"), integer("eval_every"), integer("checkpoint_every"), KEEP_CHECKPOINTS);
        } catch (RecurException e) {
            throw new RecurException(where + ": " + e.getMessage(), e);
        }
    }

    /** These settings with a new step count. */
    public RunSettings withSteps(long steps) {
        return with("steps", steps);
    }

    private int positive(String key) {
        int v = smallInteger(key);
        if (v < 1) {
            throw wrong(key, ">= 1", v);
        }
        return v;
    }

    private Object require(String key) {
        Object v = values.get(key);
        if (v == null) {
            throw new RecurException(where + ": expected a value for '" + key + "', got none");
        }
        return v;
    }

    private RecurException wrong(String key, String expected, Object got) {
        return new RecurException(where + ": key '" + key + "': expected " + expected + ", got " + got);
    }
}
