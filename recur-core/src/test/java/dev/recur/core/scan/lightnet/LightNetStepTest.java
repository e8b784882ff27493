package dev.recur.core.scan.lightnet;

import static dev.recur.core.scan.ScanTesting.assertClose;
import static dev.recur.core.scan.ScanTesting.uniform;
import static dev.recur.core.scan.SequenceSlices.at;
import static dev.recur.core.scan.SequenceSlices.join;
import static dev.recur.core.scan.SequenceSlices.slice;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * LightNet streaming parity (step loop, split forward) at T = 2048, and the property that makes one scan enough
 * for multi-dimensional inputs: the final state does not depend on the scan order.
 */
class LightNetStepTest {
    private static final int T = 2048;
    private static final int H = 2;
    private static final int K = 6;
    private static final int V = 5;

    private final Rng rng = new Rng(21);
    private final Tensor q = Tensor.of(uniform(rng, T * H * K, -1, 1), 1, T, H, K);
    private final Tensor k = Tensor.of(uniform(rng, T * H * K, -4, 4), 1, T, H, K);
    private final Tensor v = Tensor.of(uniform(rng, T * H * V, -1, 1), 1, T, H, V);

    @Test
    void stepLoopEqualsChunkedForward() {
        LightNetOutput whole = LightNet.apply(q, k, v, null, null, 1f);
        Tensor state = null;
        Tensor z = null;
        float[] o = new float[v.size()];
        for (int t = 0; t < T; t++) {
            LightNetOutput out = LightNet.step(at(q, t), at(k, t), at(v, t), state, z, 1f);
            System.arraycopy(out.output().data(), 0, o, t * H * V, H * V);
            state = out.state();
            z = out.logNormalizer();
        }
        assertClose("o, steps vs forward", whole.output().data(), o, 1e-4);
        assertClose("hT, steps vs forward", whole.state().data(), state.data(), 1e-4);
        assertClose("zT, steps vs forward", whole.logNormalizer().data(), z.data(), 1e-5);
    }

    @Test
    void forwardSplitWithStatePassedAcrossEqualsWhole() {
        LightNetOutput whole = LightNet.apply(q, k, v, null, null, 1f);
        for (int split : new int[] {1, 700, 2047}) {
            LightNetOutput first = LightNet.apply(slice(q, 0, split), slice(k, 0, split), slice(v, 0, split), null, null,
                    1f);
            LightNetOutput second = LightNet.apply(slice(q, split, T), slice(k, split, T), slice(v, split, T), first.state(),
                    first.logNormalizer(), 1f);
            assertClose("o split at " + split, whole.output().data(), join(first.output(), second.output()), 1e-4);
            assertClose("hT split at " + split, whole.state().data(), second.state().data(), 1e-4);
            assertClose("zT split at " + split, whole.logNormalizer().data(), second.logNormalizer().data(), 1e-5);
        }
    }

    @Test
    void finalStateIsTheSameWhateverTheScanOrder() {
        // A 32 x 64 "image" scanned row-major, then column-major.
        int rows = 32;
        int cols = 64;
        int[] columnMajor = new int[T];
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                columnMajor[c * rows + r] = r * cols + c;
            }
        }
        LightNetOutput byRows = LightNet.apply(q, k, v, null, null, 1f);
        LightNetOutput byColumns = LightNet.apply(permute(q, columnMajor), permute(k, columnMajor), permute(v, columnMajor),
                null, null, 1f);
        assertClose("hT, column-major vs row-major scan", byRows.state().data(), byColumns.state().data(), 1e-5);
        assertClose("zT, column-major vs row-major scan", byRows.logNormalizer().data(), byColumns.logNormalizer().data(), 1e-5);
    }

    private static Tensor permute(Tensor x, int[] order) {
        int row = x.size() / T;
        float[] out = new float[x.size()];
        for (int t = 0; t < T; t++) {
            System.arraycopy(x.data(), order[t] * row, out, t * row, row);
        }
        return Tensor.of(out, x.shape());
    }
}
