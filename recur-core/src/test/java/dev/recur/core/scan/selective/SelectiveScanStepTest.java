package dev.recur.core.scan.selective;

import static dev.recur.core.scan.ScanTesting.assertClose;
import static dev.recur.core.scan.ScanTesting.assertSame;
import static dev.recur.core.scan.ScanTesting.joinTime;
import static dev.recur.core.scan.ScanTesting.sliceTime;
import static dev.recur.core.scan.ScanTesting.uniform;

import dev.recur.core.scan.ScanOutput;
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

    private ScanOutput forward(SelectiveScanKernel kernel, int t0, int t1, Tensor state) {
        return SelectiveScan.apply(kernel, sliceTime(u, t0, t1), sliceTime(delta, t0, t1), a, sliceTime(b, t0, t1),
                sliceTime(c, t0, t1), dSkip, state, bias, true);
    }

    /** Steps over {@code [t0, t1)} from {@code state}; returns {y [B, t1-t0, D], final state}. */
    private Tensor[] steps(SelectiveScanKernel kernel, int t0, int t1, Tensor state) {
        float[] y = new float[B * (t1 - t0) * D];
        for (int t = t0; t < t1; t++) {
            ScanOutput out = SelectiveScan.step(kernel, flat(u, t), flat(delta, t), a, flat(b, t), flat(c, t), dSkip,
                    state, bias, true);
            for (int bi = 0; bi < B; bi++) {
                System.arraycopy(out.output().data(), bi * D, y, (bi * (t1 - t0) + t - t0) * D, D);
            }
            state = out.state();
        }
        return new Tensor[] {Tensor.of(y, B, t1 - t0, D), state};
    }

    private static Tensor flat(Tensor x, int t) {
        Tensor s = sliceTime(x, t, t + 1);
        return Tensor.of(s.data(), x.dim(0), x.dim(2));
    }

    @Test
    void stepLoopEqualsForwardBitForBitForEachKernel() {
        for (SelectiveScanKernel kernel : new SelectiveScanKernel[] {
                SelectiveScan.kernel(KernelMode.REFERENCE), new SelectiveScanVector()}) {
            String name = kernel.getClass().getSimpleName();
            Tensor[] stepped = steps(kernel, 0, T, h0);
            ScanOutput whole = forward(kernel, 0, T, h0);
            assertSame("y, steps vs forward, " + name, whole.output().data(), stepped[0].data());
            assertSame("hT, steps vs forward, " + name, whole.state().data(), stepped[1].data());
        }
    }

    @Test
    void vectorForwardEqualsReferenceForwardAtLength4096() {
        ScanOutput ref = forward(SelectiveScan.kernel(KernelMode.REFERENCE), 0, T, h0);
        ScanOutput vec = forward(new SelectiveScanVector(), 0, T, h0);
        assertClose("y, vector vs reference", ref.output().data(), vec.output().data(), 1e-4);
        assertClose("hT, vector vs reference", ref.state().data(), vec.state().data(), 1e-4);
    }

    @Test
    void forwardSplitAnywhereWithStatePassedAcrossEqualsWhole() {
        SelectiveScanKernel kernel = new SelectiveScanVector();
        ScanOutput whole = forward(kernel, 0, T, h0);
        for (int split : new int[] {1, 31, 1000, 4095}) {
            ScanOutput first = forward(kernel, 0, split, h0);
            ScanOutput second = forward(kernel, split, T, first.state());
            assertClose("y split at " + split, whole.output().data(), joinTime(first.output(), second.output()), 1e-4);
            assertClose("hT split at " + split, whole.state().data(), second.state().data(), 1e-4);
        }
    }

    @Test
    void prefillThenStepsEqualsWhole() {
        ScanOutput whole = forward(new SelectiveScanVector(), 0, T, h0);
        ScanOutput prefill = forward(new SelectiveScanVector(), 0, T - 64, h0);
        Tensor[] rest = steps(SelectiveScan.kernel(KernelMode.current()), T - 64, T, prefill.state());
        assertClose("y prefill + steps", whole.output().data(), joinTime(prefill.output(), rest[0]), 1e-4);
        assertClose("hT prefill + steps", whole.state().data(), rest[1].data(), 1e-4);
    }
}
