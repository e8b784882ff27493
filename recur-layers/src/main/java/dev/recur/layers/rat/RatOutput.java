package dev.recur.layers.rat;

import dev.recur.core.tensor.Tensor;

/**
 * What a RAT layer returns: the output ({@code [B, T, dModel]}, or {@code [B, dModel]} from {@code step}) and the
 * state to pass to the next call.
 */
public record RatOutput(Tensor output, RatState state) {}
