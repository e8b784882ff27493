package dev.recur.layers.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.tensor.Tensor;
import dev.recur.layers.registry.HfReferenceCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * transformers parity for one HF reference case: logits and loss within 1e-4, the gradient of every parameter
 * within 1e-3 relative error ({@code max|a-b| / max|b|}), and the greedy generation token for token.
 */
public final class HfGolden {
    private HfGolden() {}

    /** The reference case folder {@code name}; skips the test when the shared reference files are absent. */
    public static Path caseDir(String name) {
        String shared = System.getProperty("recur.shared.dir");
        Assumptions.assumeTrue(shared != null, "recur.shared.dir is not set; skipping transformers reference cases");
        Path dir = Path.of(shared, "golden", name);
        Assumptions.assumeTrue(Files.isDirectory(dir), "no reference case at " + dir + "; skipping");
        return dir;
    }

    /**
     * Runs case {@code name}, checks that it loads as {@code modelClass}, and fails with every tensor that is
     * off, naming it and its error.
     */
    public static void assertMatchesTransformers(String name, Class<?> modelClass) throws Exception {
        HfReferenceCase c = HfReferenceCase.load(caseDir(name));
        assertTrue(modelClass.isInstance(c.model()), name + ": loaded as " + c.model().getClass().getSimpleName()
                + ", expected " + modelClass.getSimpleName());
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
        assertEquals(c.model().parameters().size(), gradients, name + ": every parameter's gradient is compared");
        assertTrue(generated, name + ": the case holds a generation");
        assertTrue(failures.isEmpty(), name + ": " + failures);
    }

    /** {@code max|a-b| / max|b|}; a scalar compares with a [1] reference by element count. */
    public static double relativeError(Tensor actual, Tensor expected) {
        if (actual.rank() == expected.rank()) {
            assertArrayEquals(expected.shape(), actual.shape(), "shape");
        }
        assertEquals(expected.size(), actual.size(), "element count");
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.size(); i++) {
            double d = Math.abs((double) actual.data()[i] - expected.data()[i]);
            maxDiff = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(maxDiff, d);
            maxRef = Math.max(maxRef, Math.abs(expected.data()[i]));
        }
        return maxDiff / Math.max(maxRef, 1e-12);
    }
}
