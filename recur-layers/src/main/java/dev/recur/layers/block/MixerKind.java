package dev.recur.layers.block;

import dev.recur.core.RecurException;
import java.util.List;

/**
 * A kind of token mixer that a layer spec can name ({@code attn}, {@code mamba}, {@code gdn}, ...): its spec
 * name, the integer options its spec item accepts, whether its state keeps one size however long the sequence,
 * and how to build one. Each family declares its kinds as constants in its own package; the spec registry
 * ({@code dev.recur.layers.stack.MixerKinds}) is the only place that lists them. Kinds are compared by identity:
 * each is one constant.
 *
 * @param id          the name used in specs
 * @param options     the option names the kind accepts (every option an integer >= 0)
 * @param isRecurrent whether the state stays the same size however long the sequence ({@code attn}'s cache grows)
 * @param factory     builds a mixer of this kind
 */
public record MixerKind(String id, List<String> options, boolean isRecurrent, Factory factory) {
    /** Builds a mixer over {@code shape}, its parameters from {@code params} (drawn or loaded). */
    @FunctionalInterface
    public interface Factory {
        Mixer create(MixerShape shape, Params params);
    }

    public MixerKind {
        if (id == null || id.isEmpty() || options == null || factory == null) {
            throw new RecurException("mixer kind: an id, options and a factory are required, got id " + id);
        }
        options = List.copyOf(options);
    }

    /** A kind whose state keeps one size however long the sequence. */
    public static MixerKind recurrent(String id, Factory factory, String... options) {
        return new MixerKind(id, List.of(options), true, factory);
    }

    /** A kind whose state grows with the tokens seen (an attention cache). */
    public static MixerKind growing(String id, Factory factory, String... options) {
        return new MixerKind(id, List.of(options), false, factory);
    }

    /** A mixer of this kind over {@code shape}, its parameters from {@code params} (drawn or loaded). */
    public Mixer create(MixerShape shape, Params params) {
        return factory.create(shape, params);
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return id;
    }
}
