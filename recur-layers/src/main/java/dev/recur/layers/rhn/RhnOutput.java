package dev.recur.layers.rhn;

import dev.recur.core.tensor.Tensor;

/**
 * What an RHN layer returns: the state after the last micro-step of every token ({@code [B, T, H]}, or
 * {@code [B, H]} from {@code step}) and the final state to pass to the next call.
 */
public record RhnOutput(Tensor output, RhnState state) {}
