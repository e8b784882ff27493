package dev.recur.train.schedule;

import dev.recur.core.RecurException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Parses the compact schedule specs documented on {@link LearningRateSchedule#parse}. */
final class ScheduleSpec {
    private static final Map<String, Set<String>> KEYS = Map.of(
            "constant", Set.of("warmup"),
            "cosine", Set.of("warmup", "min"),
            "wsd", Set.of("warmup", "decay", "min", "tail"));

    private final String spec;
    private final long totalSteps;

    private ScheduleSpec(String spec, long totalSteps) {
        this.spec = spec;
        this.totalSteps = totalSteps;
    }

    static LearningRateSchedule parse(String spec, double peak, long totalSteps) {
        if (spec == null) {
            throw new RecurException("schedule: expected a spec such as 'cosine:warmup=50,min=0.1', got null");
        }
        ScheduleChecks.requireRate("schedule '" + spec + "'", "peak", peak);
        if (totalSteps < 1) {
            throw new RecurException("schedule '" + spec + "': totalSteps expected >= 1, got " + totalSteps);
        }
        return new ScheduleSpec(spec, totalSteps).build(peak);
    }

    private LearningRateSchedule build(double peak) {
        int colon = spec.indexOf(':');
        String kind = (colon < 0 ? spec : spec.substring(0, colon)).trim();
        Set<String> allowed = KEYS.get(kind);
        if (allowed == null) {
            throw error("kind expected one of constant, cosine, wsd, got '" + kind + "'");
        }
        Map<String, String> options = options(colon < 0 ? "" : spec.substring(colon + 1), allowed, kind);
        long warmup = options.containsKey("warmup") ? steps("warmup", options.get("warmup")) : 0;
        double floor = peak * (options.containsKey("min") ? fraction("min", options.get("min")) : 0.0);
        try {
            switch (kind) {
                case "constant":
                    return warmup > 0 ? new LinearWarmup(warmup, new Constant(peak)) : new Constant(peak);
                case "cosine":
                    if (warmup >= totalSteps) {
                        throw error("warmup expected fewer than totalSteps " + totalSteps + " steps, got " + warmup);
                    }
                    Cosine cosine = new Cosine(peak, floor, totalSteps - warmup);
                    return warmup > 0 ? new LinearWarmup(warmup, cosine) : cosine;
                default:
                    long decay = steps("decay", options.getOrDefault("decay", "0.2"));
                    return new WarmupStableDecay(peak, floor, totalSteps, warmup, decay,
                            tail(options.getOrDefault("tail", "linear")));
            }
        } catch (RecurException e) {
            if (e.getMessage().startsWith("schedule '")) {
                throw e;
            }
            throw new RecurException("schedule '" + spec + "': " + e.getMessage(), e);
        }
    }

    private Map<String, String> options(String text, Set<String> allowed, String kind) {
        Map<String, String> options = new LinkedHashMap<>();
        if (text.isBlank()) {
            return options;
        }
        for (String part : text.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw error("option expected key=value, got '" + part.trim() + "'");
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (!allowed.contains(key)) {
                throw error("'" + kind + "' takes options " + String.join(", ", allowed.stream().sorted().toList())
                        + ", got '" + key + "'");
            }
            if (options.put(key, value) != null) {
                throw error("option '" + key + "' is given more than once");
            }
        }
        return options;
    }

    /** An integer is a step count; a decimal is a fraction of the run, rounded to the nearest step. */
    private long steps(String key, String value) {
        if (value.matches("\\d+")) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw error(key + " expected a step count, got '" + value + "' (too large)");
            }
        }
        double f = fraction(key, value);
        // A non-zero fraction of a short run still means at least one step.
        return f > 0 ? Math.max(1, Math.round(f * totalSteps)) : 0;
    }

    private double fraction(String key, String value) {
        double f;
        try {
            f = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            f = Double.NaN;
        }
        if (!(f >= 0 && f <= 1) || !value.matches("[0-9.eE+-]+")) {
            throw error(key + " expected a fraction in [0, 1]" + ("min".equals(key) ? "" : " or a step count")
                    + ", got '" + value + "'");
        }
        return f;
    }

    private WarmupStableDecay.Tail tail(String value) {
        return switch (value) {
            case "linear" -> WarmupStableDecay.Tail.LINEAR;
            case "cosine" -> WarmupStableDecay.Tail.COSINE;
            case "sqrt" -> WarmupStableDecay.Tail.SQRT;
            default -> throw error("tail expected linear, cosine or sqrt, got '" + value + "'");
        };
    }

    private RecurException error(String what) {
        return new RecurException(String.format(Locale.ROOT, "schedule '%s': %s", spec, what));
    }
}
