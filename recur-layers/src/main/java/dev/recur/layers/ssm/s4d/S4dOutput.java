package dev.recur.layers.ssm.s4d;

import dev.recur.core.tensor.Tensor;

/** An S4D layer's output ({@code [B, T, H]} from forward, {@code [B, H]} from step) and the state after it. */
public record S4dOutput(Tensor output, S4dState state) {}
