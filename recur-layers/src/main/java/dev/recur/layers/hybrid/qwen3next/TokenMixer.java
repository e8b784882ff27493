package dev.recur.layers.hybrid.qwen3next;

import dev.recur.core.tensor.Tensor;
import java.util.Map;

/** The token-mixing half of a Qwen3-Next layer: gated attention or a Gated DeltaNet, each with its own state. */
interface TokenMixer {
    /**
     * Mixes {@code x [B, T, H]} (already normalised) starting at position {@code start}, reading this layer's
     * tensors from {@code state} and putting its new ones into {@code next}; returns {@code [B, T, H]}.
     */
    Tensor forward(Tensor x, Map<String, Tensor> state, Map<String, Tensor> next, long start);
}
