package dev.recur.core.scan.selective;

import static dev.recur.core.scan.ScanTesting.assertClose;
import static dev.recur.core.scan.ScanTesting.toDouble;
import static dev.recur.core.scan.ScanTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.recur.core.parallel.ComputePool;
import dev.recur.core.random.Rng;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The vector local backward scan against the scalar reference on awkward sizes (outputs and every gradient),
 * and both against closed forms: a window of one step adds nothing, a window covering the sequence is a global
 * backward selective scan less the current token's term.
 */
class LocalBackwardScanKernelTest {
    private static final LocalBackwardScanKernel REF = new LocalBackwardScanReference();
    private static final LocalBackwardScanKernel VEC = new LocalBackwardScanVector();

    static Stream<Arguments> sizes() {
        return Stream.of(
                Arguments.of(1, 1, 7, 1, 4), Arguments.of(2, 63, 7, 16, 16), Arguments.of(2, 257, 7, 4, 1),
                Arguments.of(2, 257, 7, 4, 300), Arguments.of(1, 63, 500, 16, 8), Arguments.of(2, 257, 40, 16, 64),
                Arguments.of(1, 257, 500, 16, 5), Arguments.of(2, 90, 33, 40, 7), Arguments.of(1, 0, 20, 4, 4));
    }

    private static SelectiveScanInputs inputs(Rng rng, int batch, int seqLen, int channels, int dState) {
        int btd = batch * seqLen * channels;
        int btn = batch * seqLen * dState;
        return new SelectiveScanInputs(uniform(rng, btd, -1, 1), uniform(rng, btd, 0.01, 0.6),
                uniform(rng, channels * dState, -3, -0.05), uniform(rng, btn, -1, 1), uniform(rng, btn, -1, 1),
                null, null, batch, seqLen, channels, dState);
    }

    @ParameterizedTest(name = "B={0} T={1} D={2} N={3} W={4}")
    @MethodSource("sizes")
    void vectorKernelMatchesReference(int batch, int seqLen, int channels, int dState, int window) {
        Rng rng = new Rng(1000L * seqLen + 10L * channels + dState + window);
        SelectiveScanInputs in = inputs(rng, batch, seqLen, channels, dState);
        float[] gy = uniform(rng, batch * seqLen * channels, -1, 1);
        String where = " B=" + batch + " T=" + seqLen + " D=" + channels + " N=" + dState + " W=" + window;

        float[] yRef = new float[gy.length];
        REF.forward(in, window, yRef);
        SelectiveScanGrads gRef = SelectiveScanGrads.zerosFor(in);
        REF.backward(in, window, gy, gRef);
        float[] yVec = new float[gy.length];
        VEC.forward(in, window, yVec);
        SelectiveScanGrads gVec = SelectiveScanGrads.zerosFor(in);
        VEC.backward(in, window, gy, gVec);

        assertClose("y" + where, yRef, yVec, 1e-5);
        assertClose("du" + where, gRef.u(), gVec.u(), 1e-5);
        assertClose("ddelta" + where, gRef.delta(), gVec.delta(), 1e-5);
        assertClose("dA" + where, gRef.a(), gVec.a(), 1e-5);
        assertClose("dB" + where, gRef.b(), gVec.b(), 1e-5);
        assertClose("dC" + where, gRef.c(), gVec.c(), 1e-5);
    }

    @Test
    void vectorKernelGivesTheSameBitsOnAnyThreadCount() {
        // 2 batch entries x 2 channel groups: four tasks whose partial sums must not depend on scheduling.
        SelectiveScanInputs in = inputs(new Rng(21), 2, 40, 300, 4);
        float[] gy = uniform(new Rng(22), 2 * 40 * 300, -1, 1);
        float[][] first = null;
        int before = ComputePool.shared().threads();
        try {
            for (int threads : new int[] {1, 3}) {
                ComputePool.configure(threads);
                float[] y = new float[gy.length];
                VEC.forward(in, 6, y);
                SelectiveScanGrads g = SelectiveScanGrads.zerosFor(in);
                VEC.backward(in, 6, gy, g);
                float[][] all = {y, g.u(), g.delta(), g.a(), g.b(), g.c()};
                if (first == null) {
                    first = all;
                } else {
                    for (int i = 0; i < all.length; i++) {
                        assertArrayEquals(first[i], all[i], "output " + i + " on " + threads + " threads");
                    }
                }
            }
        } finally {
            ComputePool.configure(before);
        }
    }

    @Test
    void windowOfOneStepAddsNothing() {
        for (LocalBackwardScanKernel kernel : new LocalBackwardScanKernel[] {REF, VEC}) {
            SelectiveScanInputs in = inputs(new Rng(7), 2, 63, 7, 16);
            float[] y = new float[2 * 63 * 7];
            kernel.forward(in, 1, y);
            SelectiveScanGrads g = SelectiveScanGrads.zerosFor(in);
            kernel.backward(in, 1, uniform(new Rng(8), y.length, -1, 1), g);
            for (float[] x : new float[][] {y, g.u(), g.delta(), g.a(), g.b(), g.c()}) {
                for (float v : x) {
                    assertEquals(0f, v, kernel.getClass().getSimpleName());
                }
            }
        }
    }

    @Test
    void windowCoveringTheSequenceIsTheGlobalBackwardScanLessTheCurrentToken() {
        int batch = 2;
        int channels = 7;
        int dState = 5;
        for (int seqLen : new int[] {1, 63, 257}) {
            SelectiveScanInputs in = inputs(new Rng(seqLen), batch, seqLen, channels, dState);
            // The global backward scan: the selective scan of the time-reversed sequence, reversed back.
            double[] yBack = SelectiveScanTwin.forward(reverse(in.u(), batch, seqLen, channels),
                    reverse(in.delta(), batch, seqLen, channels), toDouble(in.a()),
                    reverse(in.b(), batch, seqLen, dState), reverse(in.c(), batch, seqLen, dState), null, null,
                    null, false, batch, seqLen, channels, dState);
            float[] want = new float[batch * seqLen * channels];
            for (int bi = 0; bi < batch; bi++) {
                for (int t = 0; t < seqLen; t++) {
                    double cb = 0;
                    for (int s = 0; s < dState; s++) {
                        int r = (bi * seqLen + t) * dState + s;
                        cb += (double) in.c()[r] * in.b()[r];
                    }
                    for (int d = 0; d < channels; d++) {
                        int i = (bi * seqLen + t) * channels + d;
                        int back = (bi * seqLen + seqLen - 1 - t) * channels + d;
                        want[i] = (float) (yBack[back] - (double) in.delta()[i] * in.u()[i] * cb);
                    }
                }
            }
            for (int window : new int[] {seqLen, seqLen + 5}) {
                for (LocalBackwardScanKernel kernel : new LocalBackwardScanKernel[] {REF, VEC}) {
                    float[] y = new float[want.length];
                    kernel.forward(in, window, y);
                    assertClose(kernel.getClass().getSimpleName() + " T=" + seqLen + " W=" + window, want, y, 1e-5);
                }
            }
        }
    }

    /** {@code x [B, T, K]} in double with time reversed. */
    private static double[] reverse(float[] x, int batch, int seqLen, int k) {
        double[] out = new double[x.length];
        for (int bi = 0; bi < batch; bi++) {
            for (int t = 0; t < seqLen; t++) {
                for (int j = 0; j < k; j++) {
                    out[(bi * seqLen + t) * k + j] = x[(bi * seqLen + seqLen - 1 - t) * k + j];
                }
            }
        }
        return out;
    }
}
