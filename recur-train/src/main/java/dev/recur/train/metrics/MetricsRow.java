package dev.recur.train.metrics;

import dev.recur.core.RecurException;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One line of {@code metrics.jsonl}: the step, the training loss, the learning rate, the throughput, and named
 * extras ({@code val_bpb}, {@code grad_norm}...). Any value may be NaN (not measured, or diverged); the log
 * writes it as JSON null and reads null back as NaN.
 *
 * @param extras written after the fixed fields in name order
 */
public record MetricsRow(long step, double loss, double learningRate, double tokensPerSecond,
                         Map<String, Double> extras) {
    /** The fixed fields' JSON names, in the order they are written. */
    public static final Set<String> FIXED = Collections.unmodifiableSet(
            new java.util.LinkedHashSet<>(java.util.List.of("step", "loss", "lr", "tokens_per_s")));

    public MetricsRow {
        if (step < 0) {
            throw new RecurException("MetricsRow: step expected >= 0, got " + step);
        }
        if (extras == null) {
            throw new RecurException("MetricsRow: extras expected a map, got null");
        }
        for (Map.Entry<String, Double> e : extras.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || FIXED.contains(name) || e.getValue() == null) {
                throw new RecurException("MetricsRow: extra expected a non-empty name other than " + FIXED
                        + " and a value, got " + name + "=" + e.getValue());
            }
        }
        extras = Collections.unmodifiableMap(new TreeMap<>(extras));
    }

    /** A row without extras. */
    public MetricsRow(long step, double loss, double learningRate, double tokensPerSecond) {
        this(step, loss, learningRate, tokensPerSecond, Map.of());
    }

    /** The extra named {@code name}, or NaN when the row has none. */
    public double extra(String name) {
        Double v = extras.get(name);
        return v == null ? Double.NaN : v;
    }

    /** A copy with one more extra. */
    public MetricsRow with(String name, double value) {
        Map<String, Double> more = new TreeMap<>(extras);
        more.put(name, value);
        return new MetricsRow(step, loss, learningRate, tokensPerSecond, more);
    }
}
