package dev.recur.layers.rnn;

import dev.recur.core.tensor.Tensor;

/**
 * What a recurrent layer returns: the output of the last layer at every timestep ({@code [B, T, dirs*H]}, or
 * {@code [B, dirs*H]} from {@code step}) and the final state to pass to the next call.
 */
public record RnnOutput(Tensor output, RnnState state) {}
