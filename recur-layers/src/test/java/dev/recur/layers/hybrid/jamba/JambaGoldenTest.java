package dev.recur.layers.hybrid.jamba;

import dev.recur.layers.testing.HfGolden;
import org.junit.jupiter.api.Test;

/**
 * transformers parity for Jamba: the {@code jamba} reference case (logits and loss within 1e-4, the gradient
 * of every parameter within 1e-3 relative error, and the greedy generation token for token).
 */
class JambaGoldenTest {
    @Test
    void matchesTransformers() throws Exception {
        HfGolden.assertMatchesTransformers("jamba", JambaModel.class);
    }
}
