package dev.recur.core.kernel.rows;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.kernel.KernelMode;
import dev.recur.core.random.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SIMD row kernels equal their scalar reference twins on awkward row lengths, for every output and every
 * gradient. They reduce in a different order (and use the vector exp), so the comparison allows rounding.
 */
class RowKernelTest {
    private static final int ROWS = 3;
    // Summing 500 floats in another order moves the result by up to ~n * 2^-24 relative; real bugs are far larger.
    private static final double TOL = 1e-5;

    private final SoftmaxRows sRef = RowKernels.softmax(KernelMode.REFERENCE);
    private final SoftmaxRows sVec = RowKernels.softmax(KernelMode.VECTOR);
    private final NormRows nRef = RowKernels.norm(KernelMode.REFERENCE);
    private final NormRows nVec = RowKernels.norm(KernelMode.VECTOR);

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 63, 257, 500})
    void softmaxAndLogSoftmaxMatchReference(int n) {
        Rng rng = new Rng(n);
        // Large logits exercise the max subtraction.
        float[] x = random(rng, ROWS * n, 30f);
        float[] dy = random(rng, ROWS * n, 1f);
        float[] dx0 = random(rng, ROWS * n, 1f);

        float[] yr = new float[x.length];
        float[] yv = new float[x.length];
        sRef.softmax(x, yr, ROWS, n);
        sVec.softmax(x, yv, ROWS, n);
        assertClose("softmax", yr, yv);
        float[] gr = dx0.clone();
        float[] gv = dx0.clone();
        sRef.softmaxBackward(yr, dy, gr, ROWS, n);
        sVec.softmaxBackward(yr, dy, gv, ROWS, n);
        assertClose("softmaxBackward", gr, gv);

        sRef.logSoftmax(x, yr, ROWS, n);
        sVec.logSoftmax(x, yv, ROWS, n);
        assertClose("logSoftmax", yr, yv);
        gr = dx0.clone();
        gv = dx0.clone();
        sRef.logSoftmaxBackward(yr, dy, gr, ROWS, n);
        sVec.logSoftmaxBackward(yr, dy, gv, ROWS, n);
        assertClose("logSoftmaxBackward", gr, gv);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 63, 257, 500})
    void logSumExpAndScaledSoftmaxMatchReference(int n) {
        Rng rng = new Rng(100 + n);
        float[] x = random(rng, ROWS * n, 20f);
        float[] mr = new float[ROWS];
        float[] mv = new float[ROWS];
        float[] lr = new float[ROWS];
        float[] lv = new float[ROWS];
        sRef.logSumExp(x, mr, lr, ROWS, n);
        sVec.logSumExp(x, mv, lv, ROWS, n);
        assertClose("logSumExp max", mr, mv);
        assertClose("logSumExp logSum", lr, lv);
        float[] scale = {0.5f, 0f, -2f};
        float[] dx0 = random(rng, ROWS * n, 1f);
        float[] gr = dx0.clone();
        float[] gv = dx0.clone();
        sRef.addScaledSoftmax(x, mr, lr, scale, gr, ROWS, n);
        sVec.addScaledSoftmax(x, mr, lr, scale, gv, ROWS, n);
        assertClose("addScaledSoftmax", gr, gv);
        for (int i = n; i < 2 * n; i++) {
            assertTrue(gv[i] == dx0[i], "addScaledSoftmax: a row with scale 0 must be left untouched");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 63, 257, 500})
    void rmsNormMatchesReference(int n) {
        Rng rng = new Rng(200 + n);
        float[] x = random(rng, ROWS * n, 3f);
        float[] dy = random(rng, ROWS * n, 1f);
        for (float[] w : new float[][] {random(rng, n, 1f), null}) {
            float[] yr = new float[x.length];
            float[] yv = new float[x.length];
            float[] rr = new float[ROWS];
            float[] rv = new float[ROWS];
            nRef.rmsNorm(x, w, yr, rr, ROWS, n, 1e-5f);
            nVec.rmsNorm(x, w, yv, rv, ROWS, n, 1e-5f);
            assertClose("rmsNorm y", yr, yv);
            assertClose("rmsNorm rstd", rr, rv);
            float[] dxr = random(new Rng(1), x.length, 1f);
            float[] dxv = dxr.clone();
            float[] dwr = w == null ? null : random(new Rng(2), n, 1f);
            float[] dwv = w == null ? null : dwr.clone();
            nRef.rmsNormBackward(x, w, rr, dy, dxr, dwr, ROWS, n);
            nVec.rmsNormBackward(x, w, rr, dy, dxv, dwv, ROWS, n);
            assertClose("rmsNorm dx", dxr, dxv);
            if (w != null) {
                assertClose("rmsNorm dw", dwr, dwv);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 63, 257, 500})
    void layerNormMatchesReference(int n) {
        Rng rng = new Rng(300 + n);
        float[] x = random(rng, ROWS * n, 3f);
        for (int i = 0; i < x.length; i++) {
            // An offset far from zero exercises the two-pass variance.
            x[i] += 10f;
        }
        float[] dy = random(rng, ROWS * n, 1f);
        float[] w = random(rng, n, 1f);
        float[] b = random(rng, n, 1f);
        for (boolean affine : new boolean[] {true, false}) {
            float[] ww = affine ? w : null;
            float[] bb = affine ? b : null;
            float[] yr = new float[x.length];
            float[] yv = new float[x.length];
            float[] mr = new float[ROWS];
            float[] mv = new float[ROWS];
            float[] rr = new float[ROWS];
            float[] rv = new float[ROWS];
            nRef.layerNorm(x, ww, bb, yr, mr, rr, ROWS, n, 1e-5f);
            nVec.layerNorm(x, ww, bb, yv, mv, rv, ROWS, n, 1e-5f);
            assertClose("layerNorm y", yr, yv);
            assertClose("layerNorm mean", mr, mv);
            // rstd of a one-element row is 1/sqrt(eps): compare relatively.
            assertClose("layerNorm rstd", rr, rv);
            float[] dxr = random(new Rng(3), x.length, 1f);
            float[] dxv = dxr.clone();
            float[] dwr = affine ? random(new Rng(4), n, 1f) : null;
            float[] dwv = affine ? dwr.clone() : null;
            float[] dbr = affine ? random(new Rng(5), n, 1f) : null;
            float[] dbv = affine ? dbr.clone() : null;
            nRef.layerNormBackward(x, ww, mr, rr, dy, dxr, dwr, dbr, ROWS, n);
            nVec.layerNormBackward(x, ww, mr, rr, dy, dxv, dwv, dbv, ROWS, n);
            assertClose("layerNorm dx", dxr, dxv);
            if (affine) {
                assertClose("layerNorm dw", dwr, dwv);
                assertClose("layerNorm db", dbr, dbv);
            }
        }
    }

    private static float[] random(Rng rng, int size, float scale) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) ((2 * rng.nextDouble() - 1) * scale);
        }
        return a;
    }

    /** Relative to the largest reference magnitude; also fails on a NaN in either. */
    private static void assertClose(String what, float[] ref, float[] vec) {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < ref.length; i++) {
            assertTrue(Float.isFinite(ref[i]) && Float.isFinite(vec[i]), what + ": non-finite value at " + i);
            maxDiff = Math.max(maxDiff, Math.abs(ref[i] - vec[i]));
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
        }
        double err = maxDiff / Math.max(maxRef, 1e-30);
        assertTrue(err <= TOL, what + ": vector vs reference relative error " + err + " > " + TOL);
    }
}
