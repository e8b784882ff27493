package dev.recur.layers.lm;

import dev.recur.core.tensor.Tensor;

/** Logits {@code [B, T, V]} and the state after the last token. */
public record LmOutput(Tensor logits, LmState state) {}
