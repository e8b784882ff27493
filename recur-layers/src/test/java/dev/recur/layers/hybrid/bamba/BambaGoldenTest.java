package dev.recur.layers.hybrid.bamba;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.kernel.KernelMode;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.HfReferenceCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * transformers parity: the {@code bamba} reference case (logits and loss within 1e-4, the gradient of every
 * parameter within 1e-3 relative error, and the greedy generation token for token), with whichever scan kernel
 * the kernel mode selects.
 */
class BambaGoldenTest {
    static Path caseDir(String name) {
        String shared = System.getProperty("recur.shared.dir");
        Assumptions.assumeTrue(shared != null, "recur.shared.dir is not set; skipping transformers reference cases");
        Path dir = Path.of(shared, "golden", name);
        Assumptions.assumeTrue(Files.isDirectory(dir), "no reference case at " + dir + "; skipping");
        return dir;
    }

    @Test
    void matchesTransformers() throws Exception {
        HfReferenceCase c = HfReferenceCase.load(caseDir("bamba"));
        assertTrue(c.model() instanceof BambaModel, "loaded as Bamba");
        List<String> failures = new ArrayList<>();
        int gradients = 0;
        boolean generated = false;
        for (HfReferenceCase.Pair p : c.run()) {
            if (p.exact()) {
                generated = true;
                if (!Arrays.equals(p.actual().data(), p.expected().data())) {
                    failures.add(p.name() + " differ: " + Arrays.toString(p.actual().data()));
                }
                continue;
            }
            double tolerance = p.gradient() ? 1e-3 : 1e-4;
            double err = relativeError(p.actual(), p.expected());
            gradients += p.gradient() ? 1 : 0;
            if (!(err <= tolerance)) {
                failures.add(p.name() + " rel err " + err);
            }
        }
        assertEquals(c.model().parameters().size(), gradients, "every parameter's gradient is compared");
        assertTrue(generated, "the case holds a generation");
        assertTrue(failures.isEmpty(), "kernel mode " + KernelMode.current() + ": " + failures);
    }

    /** {@code max|a-b| / max|b|} over equally many elements (the loss is a scalar here, [1] in the file). */
    static double relativeError(Tensor actual, Tensor expected) {
        assertEquals(expected.size(), actual.size(), "element count");
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.size(); i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) actual.data()[i] - expected.data()[i]));
            maxRef = Math.max(maxRef, Math.abs(expected.data()[i]));
        }
        return maxDiff / Math.max(maxRef, 1e-12);
    }
}
