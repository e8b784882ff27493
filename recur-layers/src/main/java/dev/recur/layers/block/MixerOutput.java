package dev.recur.layers.block;

import dev.recur.core.tensor.Tensor;

/** A mixer's output ({@code [B, T, D]}, or {@code [B, D]} from a step) and its state after the last token. */
public record MixerOutput(Tensor output, MixerState state) {}
