package dev.recur.layers.ssm.mamba;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.HfReferenceCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The transformers reference case {@code golden/mamba} (MambaForCausalLM, tied head): logits and loss within
 * 1e-4, the gradient of every parameter within 1e-3 (relative to the largest expected value), and the greedy
 * generation token for token.
 */
class MambaGoldenTest {
    static Path golden(String name) {
        String shared = System.getProperty("recur.shared.dir");
        Assumptions.assumeTrue(shared != null, "recur.shared.dir is not set; skipping reference cases");
        Path dir = Path.of(shared, "golden", name);
        Assumptions.assumeTrue(Files.isDirectory(dir), "no reference case at " + dir + "; skipping");
        return dir;
    }

    static double relativeError(Tensor actual, Tensor expected) {
        // the loss is a scalar here and [1] in the file: compare the elements
        assertThat(actual.size()).isEqualTo(expected.size());
        float[] a = actual.data();
        float[] e = expected.data();
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < e.length; i++) {
            diff = Math.max(diff, Math.abs((double) a[i] - e[i]));
            scale = Math.max(scale, Math.abs((double) e[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }

    @Test
    void mambaCaseMatchesTransformers() throws Exception {
        HfReferenceCase c = HfReferenceCase.load(golden("mamba"));
        assertThat(c.model()).isInstanceOf(MambaLm.class);
        List<HfReferenceCase.Pair> pairs = c.run();
        // logits, loss, 22 parameter gradients, generated ids
        assertThat(pairs).hasSize(25);
        for (HfReferenceCase.Pair p : pairs) {
            if (p.exact()) {
                assertThat(p.actual().data()).as(p.name()).containsExactly(p.expected().data());
            } else {
                double tolerance = p.gradient() ? 1e-3 : 1e-4;
                assertThat(relativeError(p.actual(), p.expected())).as(p.name()).isLessThanOrEqualTo(tolerance);
            }
        }
    }
}
