package dev.recur.layers.reservoir;

import dev.recur.core.tensor.Tensor;

/**
 * What an echo state network returns: the readout at every timestep ({@code [B, T, O]}, or {@code [B, O]} from
 * {@code step}) and the reservoir state to pass to the next call.
 */
public record EsnOutput(Tensor output, EsnState state) {}
