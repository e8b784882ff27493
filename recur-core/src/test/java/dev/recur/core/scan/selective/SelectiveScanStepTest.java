package dev.recur.core.scan.selective;

import static dev.recur.core.scan.ScanTesting.assertClose;
import static dev.recur.core.scan.ScanTesting.assertSame;
import static dev.recur.core.scan.ScanTesting.joinTime;
import static dev.recur.core.scan.ScanTesting.sliceTime;
import static dev.recur.core.scan.ScanTesting.uniform;

import dev.recur.core.kernel.KernelMode;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Streaming parity at T = 4096: the one-token step loop, the whole forward, a forward split anywhere with the
 * state passed across, and a prefill followed by steps all agree.
 */
class SelectiveScanStepTest {
    private static final int B = 2;
    private static final int T = 4096;
    private static final int D = 40;
    private static final int N = 16;

    private final Rng rng = new Rng(11);
    private final Tensor u = Tensor.of(uniform(rng, B * T * D, -1, 1), B, T, D);
    private final Tensor delta = Tensor.of(uniform(rng, B * T * D, -4, 0), B, T, D);
    private final Tensor a = Tensor.of(uniform(rng, D * N, -2, -0.1), D, N);
    private final Tensor b = Tensor.of(uniform(rng, B * T * N, -1, 1), B, T, N);
    private final Tensor c = Tensor.of(uniform(rng, B * T * N, -1, 1), B, T, N);
    private final Tensor dSkip = Tensor.of(uniform(rng, D, -1, 1), D);
    private final Tensor h0 = Tensor.of(uniform(rng, B * D * N, -1, 1), B, D, N);
    private final Tensor bias = Tensor.of(uniform(rng, D, -0.5, 0.5), D);

    private Tensor[] forward(SelectiveScanKernel kernel, int t0, int t1, Tensor state) {
        return SelectiveScan.apply(kernel, sliceTime(u, t0, t1), sliceTime(delta, t0, t1), a, sliceTime(b, t0, t1),
                sliceTime(c, t0, t1), dSkip, state, bias, true);
    }

    /** Steps over {@code [t0, t1)} from {@code state}; returns {y [B, t1-t0, D], final state}. */
    private Tensor[] steps(int t0, int t1, Tensor state) {
        float[] y = new float[B * (t1 - t0) * D];
        for (int t = t0; t < t1; t++) {
            Tensor[] out = SelectiveScan.step(flat(u, t), flat(delta, t), a, flat(b, t), flat(c, t), dSkip, state,
                    bias, true);
            for (int bi = 0; bi < B; bi++) {
                System.arraycopy(out[0].data(), bi * D, y, (bi * (t1 - t0) + t - t0) * D, D);
            }
            state = out[1];
        }
        return new Tensor[] {Tensor.of(y, B, t1 - t0, D), state};
    }

    private static Tensor flat(Tensor x, int t) {
        Tensor s = sliceTime(x, t, t + 1);
        return Tensor.of(s.data(), x.dim(0), x.dim(2));
    }

    @Test
    void stepLoopEqualsReferenceBitForBitAndVectorWithinTolerance() {
        Tensor[] stepped = steps(0, T, h0);
        Tensor[] ref = forward(SelectiveScan.kernel(KernelMode.REFERENCE), 0, T, h0);
        assertSame("y, steps vs reference forward", ref[0].data(), stepped[0].data());
        assertSame("hT, steps vs reference forward", ref[1].data(), stepped[1].data());
        Tensor[] vec = forward(new SelectiveScanVector(), 0, T, h0);
        assertClose("y, steps vs vector forward", vec[0].data(), stepped[0].data(), 1e-4);
        assertClose("hT, steps vs vector forward", vec[1].data(), stepped[1].data(), 1e-4);
    }

    @Test
    void forwardSplitAnywhereWithStatePassedAcrossEqualsWhole() {
        SelectiveScanKernel kernel = new SelectiveScanVector();
        Tensor[] whole = forward(kernel, 0, T, h0);
        for (int split : new int[] {1, 31, 1000, 4095}) {
            Tensor[] first = forward(kernel, 0, split, h0);
            Tensor[] second = forward(kernel, split, T, first[1]);
            assertClose("y split at " + split, whole[0].data(), joinTime(first[0], second[0]), 1e-4);
            assertClose("hT split at " + split, whole[1].data(), second[1].data(), 1e-4);
        }
    }

    @Test
    void prefillThenStepsEqualsWhole() {
        Tensor[] whole = forward(new SelectiveScanVector(), 0, T, h0);
        Tensor[] prefill = forward(new SelectiveScanVector(), 0, T - 64, h0);
        Tensor[] rest = steps(T - 64, T, prefill[1]);
        assertClose("y prefill + steps", whole[0].data(), joinTime(prefill[0], rest[0]), 1e-4);
        assertClose("hT prefill + steps", whole[1].data(), rest[1].data(), 1e-4);
    }
}
