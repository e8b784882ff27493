package dev.recur.cli.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.recur.core.RecurException;
import dev.recur.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A trained model's provenance and results, written as {@code MODEL_CARD.md} beside the model: what it is, what
 * data it saw (source and sha256), how to reproduce it (seed and full configuration as JSON), how well it did,
 * and against which baselines.
 *
 * @param name the model's name (the card's title)
 * @param architecture e.g. "lstm*2, d_model 256"
 * @param parameterCount trainable parameters
 * @param dataSource where the training text came from
 * @param dataSha256 the sha256 of that text
 * @param seed the run's seed
 * @param config the run's configuration, serialised as JSON (a record or map; no type information is written)
 * @param finalMetrics the last figures, in the order to show them (NaN shows as n/a)
 * @param baselines compressor baselines on the same held-out text (may be empty)
 * @param date when training finished
 * @param recurVersion the Recur version that trained it
 */
public record ModelCard(String name, String architecture, long parameterCount, String dataSource,
                        String dataSha256, long seed, Object config, Map<String, Double> finalMetrics,
                        List<CompressionBaseline.Result> baselines, Instant date, String recurVersion) {
    public static final String FILE = "MODEL_CARD.md";

    public ModelCard {
        requireText("name", name);
        requireText("architecture", architecture);
        requireText("dataSource", dataSource);
        requireText("recurVersion", recurVersion);
        if (dataSha256 == null || !dataSha256.matches("[0-9a-f]{64}")) {
            throw new RecurException("ModelCard: dataSha256 expected 64 lowercase hex digits, got " + dataSha256);
        }
        if (parameterCount < 0) {
            throw new RecurException("ModelCard: parameterCount expected >= 0, got " + parameterCount);
        }
        if (finalMetrics == null || baselines == null || date == null) {
            throw new RecurException("ModelCard: finalMetrics, baselines and date expected values, got null");
        }
        finalMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(finalMetrics));
        baselines = List.copyOf(baselines);
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new RecurException("ModelCard: " + field + " expected a non-empty text, got "
                    + (value == null ? "null" : "\"" + value + "\""));
        }
    }

    /** Writes {@value #FILE} into {@code folder}, atomically; returns its path. */
    public Path write(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFiles.write(file, toMarkdown().getBytes(StandardCharsets.UTF_8));
        return file;
    }

    /** The card's Markdown text. */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(name).append("\n\n");
        md.append("| | |\n|---|---|\n");
        row(md, "Architecture", architecture);
        row(md, "Parameters", String.format(Locale.ROOT, "%,d", parameterCount));
        row(md, "Training data", dataSource);
        row(md, "Data sha256", "`" + dataSha256 + "`");
        row(md, "Seed", Long.toString(seed));
        row(md, "Date", DateTimeFormatter.ISO_INSTANT.format(date));
        row(md, "Recur version", recurVersion);
        md.append("\n## Final metrics\n\n");
        if (finalMetrics.isEmpty()) {
            md.append("None recorded.\n");
        } else {
            md.append("| metric | value |\n|---|---:|\n");
            finalMetrics.forEach((k, v) -> row(md, k, Double.isFinite(v) ? format(v) : "n/a"));
        }
        if (!baselines.isEmpty()) {
            md.append("\n## Compression baselines\n\n| compressor | bits/byte |\n|---|---:|\n");
            for (CompressionBaseline.Result r : baselines) {
                row(md, r.compressor(), r.bitsPerByte().isPresent()
                        ? String.format(Locale.ROOT, "%.3f", r.bitsPerByte().getAsDouble()) : r.note());
            }
        }
        md.append("\n## Configuration\n\n```json\n").append(configJson()).append("\n```\n");
        return md.toString();
    }

    /** The configuration as indented JSON. */
    public String configJson() {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        try {
            return mapper.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new RecurException("ModelCard: the configuration cannot be written as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ").append(escape(key)).append(" | ").append(escape(value)).append(" |\n");
    }

    /** Keeps a value inside its table cell. */
    private static String escape(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private static String format(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e7)) {
            return String.format(Locale.ROOT, "%.4e", v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
