package dev.recur.core.scan.diagonal;

import static dev.recur.core.scan.ScanTesting.assertClose;
import static dev.recur.core.scan.ScanTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Streaming parity: the step loop, the whole forward and a forward split in two all agree at T = 4096. */
class DiagonalScanStepTest {
    private static final int B = 2;
    private static final int T = 4096;

    /** Decays in (0.9, 1): long memory, so early errors would still show at the end. */
    private static Tensor[] inputs(int channels) {
        Rng rng = new Rng(7 + channels);
        return new Tensor[] {
                Tensor.of(uniform(rng, B * T * channels, 0.9, 1.0), B, T, channels),
                Tensor.of(uniform(rng, B * T * channels, -1, 1), B, T, channels),
                Tensor.of(uniform(rng, B * channels, -1, 1), B, channels)};
    }

    private static Tensor slice(Tensor x, int t0, int t1) {
        int d = x.dim(2);
        float[] out = new float[B * (t1 - t0) * d];
        for (int bi = 0; bi < B; bi++) {
            System.arraycopy(x.data(), (bi * T + t0) * d, out, bi * (t1 - t0) * d, (t1 - t0) * d);
        }
        return Tensor.of(out, B, t1 - t0, d);
    }

    private static final DiagonalScanKernel[] KERNELS = {new DiagonalScanVector(), new DiagonalScanVector(5)};

    @Test
    void stepLoopEqualsForwardOfEveryKernel() {
        for (int run = 0; run < 4; run++) {
            int channels = run % 2 == 0 ? 8 : 300;
            DiagonalScanKernel kernel = KERNELS[run / 2];
            Tensor[] x = inputs(channels);
            ScanOutput whole = DiagonalScan.apply(kernel, x[0], x[1], x[2]);
            Tensor state = x[2];
            float[] steps = new float[B * T * channels];
            for (int t = 0; t < T; t++) {
                Tensor at = slice(x[0], t, t + 1);
                Tensor bt = slice(x[1], t, t + 1);
                state = DiagonalScan.step(Tensor.of(at.data(), B, channels), Tensor.of(bt.data(), B, channels), state);
                for (int bi = 0; bi < B; bi++) {
                    System.arraycopy(state.data(), bi * channels, steps, (bi * T + t) * channels, channels);
                }
            }
            String where = kernel.getClass().getSimpleName() + " D=" + channels;
            assertClose("h, step loop vs forward, " + where, steps, whole.output().data(), 1e-4);
            assertClose("hT, step loop vs forward, " + where, state.data(), whole.state().data(), 1e-4);
        }
    }

    @Test
    void forwardSplitAnywhereWithStatePassedAcrossEqualsWhole() {
        for (int run = 0; run < 4; run++) {
            int channels = run % 2 == 0 ? 8 : 300;
            DiagonalScanKernel kernel = KERNELS[run / 2];
            Tensor[] x = inputs(channels);
            ScanOutput whole = DiagonalScan.apply(kernel, x[0], x[1], x[2]);
            for (int split : new int[] {1, 1000, 2048, 4095}) {
                ScanOutput first = DiagonalScan.apply(kernel, slice(x[0], 0, split), slice(x[1], 0, split), x[2]);
                ScanOutput second = DiagonalScan.apply(kernel, slice(x[0], split, T), slice(x[1], split, T), first.state());
                float[] joined = new float[B * T * channels];
                for (int bi = 0; bi < B; bi++) {
                    System.arraycopy(first.output().data(), bi * split * channels, joined, bi * T * channels,
                            split * channels);
                    System.arraycopy(second.output().data(), bi * (T - split) * channels, joined,
                            (bi * T + split) * channels, (T - split) * channels);
                }
                String where = " " + kernel.getClass().getSimpleName() + " D=" + channels + " split at " + split;
                assertClose("h" + where, whole.output().data(), joined, 1e-4);
                assertClose("hT" + where, whole.state().data(), second.state().data(), 1e-4);
            }
        }
    }

    @Test
    void noGradModeRecordsNothingAndGivesTheSameValues() {
        Tensor[] x = inputs(8);
        x[0].requiresGrad(true);
        ScanOutput tracked = DiagonalScan.apply(x[0], x[1], x[2]);
        ScanOutput plain;
        GradMode.Scope scope = GradMode.noGrad();
        try {
            plain = DiagonalScan.apply(x[0], x[1], x[2]);
        } finally {
            scope.close();
        }
        assertTrue(tracked.output().tracksGrad() && !plain.output().tracksGrad(), "grad mode is ignored");
        assertTrue(Arrays.equals(tracked.output().data(), plain.output().data()), "values differ under noGrad");
    }
}
