package dev.recur.layers.griffin;

import dev.recur.layers.testing.HfGolden;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * transformers parity for RecurrentGemma: the {@code recurrentgemma} reference case (logits and loss within 1e-4, the gradient
 * of every parameter within 1e-3 relative error, and the greedy generation token for token).
 */
class RecurrentGemmaGoldenTest {
    static Path caseDir(String name) {
        return HfGolden.caseDir(name);
    }

    @Test
    void matchesTransformers() throws Exception {
        HfGolden.assertMatchesTransformers("recurrentgemma", RecurrentGemmaModel.class);
    }
}
