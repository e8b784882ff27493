package dev.recur.layers.hybrid.qwen3next;

import dev.recur.layers.testing.HfGolden;
import org.junit.jupiter.api.Test;

/**
 * transformers parity for Qwen3-Next: the {@code qwen3_next} reference case (logits and loss within 1e-4, the gradient
 * of every parameter within 1e-3 relative error, and the greedy generation token for token).
 */
class Qwen3NextGoldenTest {
    @Test
    void matchesTransformers() throws Exception {
        HfGolden.assertMatchesTransformers("qwen3_next", Qwen3NextModel.class);
    }
}
