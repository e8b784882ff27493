package dev.recur.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.parallel.ComputePool;
import java.util.List;
import java.util.function.Supplier;

/**
 * Determinism across thread counts: runs the same computation with the shared {@link ComputePool} sized to each
 * count in turn and checks that every result has exactly the bits of the first count's. The pool's size is
 * restored afterwards.
 */
public final class ThreadCounts {
    private ThreadCounts() {}

    /** {@code run} gives the results (outputs, states, gradients) in a fixed order. */
    public static void assertSameBits(Supplier<List<float[]>> run, int... counts) {
        int original = ComputePool.shared().threads();
        try {
            ComputePool.configure(counts[0]);
            List<float[]> first = run.get();
            for (int i = 1; i < counts.length; i++) {
                ComputePool.configure(counts[i]);
                List<float[]> other = run.get();
                assertThat(other).as("results on %d threads", counts[i]).hasSameSizeAs(first);
                for (int t = 0; t < first.size(); t++) {
                    assertThat(other.get(t)).as("result %d on %d threads against %d", t, counts[i], counts[0])
                            .containsExactly(first.get(t));
                }
            }
        } finally {
            ComputePool.configure(original);
        }
    }
}
