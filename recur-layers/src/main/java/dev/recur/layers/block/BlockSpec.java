package dev.recur.layers.block;

import dev.recur.core.RecurException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One block of a stack: its mixer kind and the options given to it ({@code attn(heads=4,window=64)}). Options
 * are kept sorted by name so that equal blocks print equally.
 *
 * @param kind    the token mixer
 * @param options option name to value, each an option of {@code kind} with a value >= 0
 */
public record BlockSpec(MixerKind kind, Map<String, Integer> options) {
    public BlockSpec {
        if (kind == null || options == null) {
            throw new RecurException("block spec: kind and options are required");
        }
        for (String key : options.keySet()) {
            if (!kind.options().contains(key)) {
                throw new RecurException("layer spec: block '" + kind.id() + "' has no option '" + key + "' ("
                        + (kind.options().isEmpty() ? "it takes none" : "options: " + String.join(", ", kind.options()))
                        + ")");
            }
        }
        for (Map.Entry<String, Integer> e : options.entrySet()) {
            if (e.getValue() == null || e.getValue() < 0) {
                throw new RecurException("layer spec: option '" + e.getKey() + "' of '" + kind.id()
                        + "' must be an integer >= 0, got " + e.getValue());
            }
        }
        options = Collections.unmodifiableMap(new TreeMap<>(options));
    }

    /** A block with no options. */
    public static BlockSpec of(MixerKind kind) {
        return new BlockSpec(kind, Map.of());
    }

    /**
     * The mixer this block names over a residual stream of {@code dModel}, its parameters from {@code params}
     * (local names, e.g. {@code wq}), the output projection's initial weights scaled by {@code outScale}.
     */
    public Mixer create(int dModel, float outScale, Params params) {
        return kind.create(new MixerShape(this, dModel, outScale), params);
    }

    /** The option's value, or {@code fallback} when the spec does not give it. */
    public int option(String name, int fallback) {
        if (!kind.options().contains(name)) {
            throw new IllegalArgumentException(kind.id() + " has no option " + name);
        }
        return options.getOrDefault(name, fallback);
    }

    /** The spec text of this block: {@code gla} or {@code attn(heads=4,window=64)}. */
    @Override
    public String toString() {
        if (options.isEmpty()) {
            return kind.id();
        }
        StringBuilder s = new StringBuilder(kind.id()).append('(');
        options.forEach((k, v) -> s.append(k).append('=').append(v).append(','));
        s.setLength(s.length() - 1);
        return s.append(')').toString();
    }
}
