package dev.recur.layers.block;

import java.util.List;

/**
 * A kind of token mixer that a layer spec can name ({@code attn}, {@code mamba}, {@code gdn}, ...): its spec
 * name, the integer options its spec item accepts, and how to build one. Each family declares its kinds in its
 * own package; the spec registry ({@code dev.recur.layers.stack.MixerKinds}) is the only place that lists them.
 */
public interface MixerKind {
    /** The name used in specs ({@code attn}, {@code gdn}, ...). */
    String id();

    /** The option names this kind accepts (every option an integer >= 0). */
    List<String> options();

    /** Whether the kind's state stays the same size however long the sequence ({@code attn} grows unless windowed). */
    default boolean isRecurrent() {
        return true;
    }

    /** A mixer of this kind over {@code shape}, its parameters from {@code params} (drawn or loaded). */
    Mixer create(MixerShape shape, Params params);
}
