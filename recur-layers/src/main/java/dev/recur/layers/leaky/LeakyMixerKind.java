package dev.recur.layers.leaky;

import dev.recur.layers.block.MixerKind;

/** The leaky RNN's spec kind; the adapter {@link LeakyBlockMixer} documents it. */
public final class LeakyMixerKind {
    /** A leaky tanh RNN with a learned time constant per neuron: {@code tau} (the initial time constant). */
    public static final MixerKind LEAKY = MixerKind.recurrent("leaky", LeakyBlockMixer::new, "tau");

    private LeakyMixerKind() {}
}
