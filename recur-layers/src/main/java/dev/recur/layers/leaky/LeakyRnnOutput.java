package dev.recur.layers.leaky;

import dev.recur.core.tensor.Tensor;

/**
 * What a leaky RNN layer returns: {@code h} at every timestep ({@code [B, T, H]}, or {@code [B, H]} from
 * {@code step}) and the final state to pass to the next call.
 */
public record LeakyRnnOutput(Tensor output, LeakyRnnState state) {}
