package dev.recur.layers.hybrid.qwen3next;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.layers.lm.HfReferenceCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The transformers reference case {@code golden/qwen3_next} (Qwen3NextForCausalLM: three Gated DeltaNet layers with
 * two key heads shared by four value heads, one gated attention layer with partial rotary, dense MLPs, untied
 * head): logits and loss within 1e-4, the gradient of every parameter within 1e-3 (relative to the largest
 * expected value), and the greedy generation token for token.
 */
class Qwen3NextGoldenTest {
    static Path golden(String name) {
        String shared = System.getProperty("recur.shared.dir");
        Assumptions.assumeTrue(shared != null, "recur.shared.dir is not set; skipping reference cases");
        Path dir = Path.of(shared, "golden", name);
        Assumptions.assumeTrue(Files.isDirectory(dir), "no reference case at " + dir + "; skipping");
        return dir;
    }

    @Test
    void qwen3NextCaseMatchesTransformers() throws Exception {
        HfReferenceCase c = HfReferenceCase.load(golden("qwen3_next"));
        assertThat(c.model()).isInstanceOf(Qwen3NextModel.class);
        List<HfReferenceCase.Pair> pairs = c.run();
        // logits, loss, one gradient per checkpoint tensor, generated ids
        assertThat(pairs).hasSize(3 + c.model().parameters().size());
        for (HfReferenceCase.Pair p : pairs) {
            if (p.exact()) {
                assertThat(p.actual().data()).as(p.name()).containsExactly(p.expected().data());
            } else {
                double tolerance = p.gradient() ? 1e-3 : 1e-4;
                assertThat(Qwen3NextTestModels.relativeError(p.actual().data(), p.expected().data()))
                        .as(p.name()).isLessThanOrEqualTo(tolerance);
            }
        }
    }
}
