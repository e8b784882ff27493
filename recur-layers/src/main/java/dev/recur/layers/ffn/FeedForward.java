package dev.recur.layers.ffn;

import dev.recur.core.tensor.Tensor;

/**
 * The feed-forward half of a hybrid layer (Jamba, Bamba, Qwen3-Next, RecurrentGemma): a dense gated MLP or a sparse
 * mixture of experts.
 */
public interface FeedForward {
    /** {@code x [B, T, H]} (already normalised) to {@code [B, T, H]}, token by token. */
    Tensor apply(Tensor x);
}
