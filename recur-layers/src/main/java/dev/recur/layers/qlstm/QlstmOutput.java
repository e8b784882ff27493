package dev.recur.layers.qlstm;

import dev.recur.core.tensor.Tensor;

/**
 * What a quasi-LSTM layer returns: {@code h} at every timestep ({@code [B, T, H]}, or {@code [B, H]} from
 * {@code step}) and the final state to pass to the next call.
 */
public record QlstmOutput(Tensor output, QlstmState state) {}
