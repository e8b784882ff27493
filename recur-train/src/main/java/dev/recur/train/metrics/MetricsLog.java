package dev.recur.train.metrics;

import dev.recur.core.RecurException;
import dev.recur.core.io.AtomicFiles;
import dev.recur.core.io.json.JsonNumber;
import dev.recur.core.io.json.JsonParser;
import dev.recur.core.io.json.JsonWriter;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Appends {@link MetricsRow}s to a JSON-lines file ({@code metrics.jsonl}), one compact object per line with the
 * fields {@code step, loss, lr, tokens_per_s}, then the extras by name; non-finite numbers are written as null.
 * Each line is flushed to the operating system as it is written, so a crash loses at most the line being
 * written, and {@link #read(Path)} ignores such a torn last line.
 */
public final class MetricsLog implements Closeable {
    private final Path file;
    private final BufferedWriter out;

    private MetricsLog(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /** A new, empty log (replacing any file there). */
    public static MetricsLog create(Path file) throws IOException {
        createParent(file);
        return new MetricsLog(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
    }

    /**
     * The log of a run resumed at {@code step}: rows after {@code step} (logged after that checkpoint was
     * written) and a torn last line are dropped, atomically, then new rows are appended. A missing file starts
     * empty.
     */
    public static MetricsLog resume(Path file, long step) throws IOException {
        createParent(file);
        if (Files.exists(file)) {
            StringBuilder kept = new StringBuilder();
            for (MetricsRow row : read(file)) {
                if (row.step() <= step) {
                    kept.append(toJson(row)).append('\n');
                }
            }
            AtomicFiles.write(file, kept.toString().getBytes(StandardCharsets.UTF_8));
        }
        return new MetricsLog(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE));
    }

    public Path file() {
        return file;
    }

    /** Writes one row as one line and flushes it. */
    public void append(MetricsRow row) throws IOException {
        out.write(toJson(row));
        out.write('\n');
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** The JSON object for one row, without a newline. */
    public static String toJson(MetricsRow row) {
        StringBuilder sb = new StringBuilder(96);
        sb.append("{\"step\":").append(row.step());
        field(sb, "loss", row.loss());
        field(sb, "lr", row.learningRate());
        field(sb, "tokens_per_s", row.tokensPerSecond());
        row.extras().forEach((name, value) -> field(sb, name, value));
        return sb.append('}').toString();
    }

    private static void field(StringBuilder sb, String name, double value) {
        sb.append(',');
        JsonWriter.appendString(sb, name).append(':');
        sb.append(Double.isFinite(value) ? Double.toString(value) : "null");
    }

    /**
     * Reads every row. A last line without its newline that does not parse (a write cut short by a crash) is
     * ignored; any other malformed line fails naming the file and line.
     */
    public static List<MetricsRow> read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<MetricsRow> rows = new ArrayList<>();
        int lineNo = 0;
        int pos = 0;
        while (pos < text.length()) {
            int nl = text.indexOf('\n', pos);
            boolean complete = nl >= 0;
            String line = complete ? text.substring(pos, nl) : text.substring(pos);
            pos = complete ? nl + 1 : text.length();
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            try {
                rows.add(parse(line));
            } catch (RecurException e) {
                if (!complete) {
                    break;
                }
                throw new RecurException(file + ":" + lineNo + ": " + e.getMessage(), e);
            }
        }
        return rows;
    }

    /** Parses one line as {@link #toJson(MetricsRow)} writes it; unknown numeric fields become extras. */
    static MetricsRow parse(String line) {
        Object parsed = JsonParser.parse(line);
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new RecurException("expected a JSON object per line");
        }
        Object step = map.get("step");
        if (!(step instanceof JsonNumber n) || n.nonNegativeLongOrMinusOne() < 0) {
            throw new RecurException("step expected a non-negative integer, got " + step);
        }
        Map<String, Double> extras = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = (String) e.getKey();
            if (!MetricsRow.FIXED.contains(key)) {
                extras.put(key, number(key, e.getValue()));
            }
        }
        return new MetricsRow(n.nonNegativeLongOrMinusOne(), number("loss", map.get("loss")),
                number("lr", map.get("lr")), number("tokens_per_s", map.get("tokens_per_s")), extras);
    }

    private static double number(String key, Object value) {
        if (value == null) {
            return Double.NaN;
        }
        if (value instanceof JsonNumber n) {
            return Double.parseDouble(n.text());
        }
        throw new RecurException(key + " expected a number or null, got " + value);
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }
}
