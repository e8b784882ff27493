package dev.recur.layers.ssm.mamba;

import dev.recur.layers.testing.HfGolden;
import org.junit.jupiter.api.Test;

/**
 * transformers parity for Mamba: the {@code mamba} reference case (logits and loss within 1e-4, the gradient
 * of every parameter within 1e-3 relative error, and the greedy generation token for token).
 */
class MambaGoldenTest {
    @Test
    void matchesTransformers() throws Exception {
        HfGolden.assertMatchesTransformers("mamba", MambaLm.class);
    }
}
