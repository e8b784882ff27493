package dev.recur.layers.hybrid.qwen3next;

import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Norms;
import dev.recur.core.tensor.Tensor;

/**
 * Qwen3-Next's zero-centred RMSNorm (transformers' {@code Qwen3NextRMSNorm}): the stored weight {@code w} is an
 * offset from one, {@code y = x / sqrt(mean(x^2) + eps) * (1 + w)}, so a freshly initialised (zero) weight is the
 * identity scale. Used for the blocks' norms, the final norm and the attention's per-head q/k norms.
 */
final class OffsetRmsNorm {
    private OffsetRmsNorm() {}

    /** Normalises {@code x [..., D]} over its last axis with the offset weight {@code w [D]}. */
    static Tensor apply(Tensor x, Tensor weight, float eps) {
        return Norms.rmsNorm(x, Arithmetic.add(weight, 1f), eps);
    }
}
