package dev.recur.core.kernel.elementwise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.kernel.KernelMode;
import dev.recur.core.random.Rng;
import org.junit.jupiter.api.Test;

/**
 * The SIMD kernels equal their scalar reference twins bit for bit (sum and dot: within a stated rounding
 * bound of an exact double sum), on sizes with vector tails and at non-zero offsets; and the shared
 * transcendental formulas are accurate against double-precision {@code Math} functions.
 */
class ElementwiseKernelTest {
    private static final int[] SIZES = {1, 7, 63, 257, 500};
    private static final int OFF = 3;
    private static final ElementwiseKernel VEC = Elementwise.kernel(KernelMode.VECTOR);
    private static final ElementwiseKernel REF = Elementwise.kernel(KernelMode.REFERENCE);
    /** Values where formulas branch or break, mixed into random inputs so they land in vector lanes and tails. */
    private static final float[] SPECIAL = {0f, -0f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, 88.7f, 88.8f, -87.5f, -103.5f, -120f, 1e-30f, -1e-30f, Float.MIN_VALUE, 0.625f,
        -0.625f, 0.62499994f, 9.5f, -20f, 40f};

    private static float[] random(Rng rng, int n, float scale, boolean special) {
        float[] x = new float[n + OFF];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((2 * rng.nextDouble() - 1) * scale);
        }
        if (special) {
            for (int i = 0; i < n; i += 3) {
                x[OFF + i] = SPECIAL[(i / 3) % SPECIAL.length];
            }
        }
        return x;
    }

    private static void assertBitwise(String what, float[] expected, float[] got) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(got[i]),
                    what + " differs at " + i + ": reference " + expected[i] + ", vector " + got[i]);
        }
    }

    @Test
    void kernelModeSelectsTheImplementation() {
        assertThat(VEC).isInstanceOf(ElementwiseParallel.class);
        assertThat(REF).isInstanceOf(ElementwiseReference.class);
    }

    @Test
    void binaryFormsMatchReferenceBitwise() {
        Rng rng = new Rng(1);
        for (int n : SIZES) {
            float[] a = random(rng, n, 3f, true);
            float[] b = random(rng, n, 3f, true);
            float s = 0.37f;
            for (BinaryOp op : BinaryOp.values()) {
                float[] want = new float[n + OFF];
                float[] got = new float[n + OFF];
                REF.binary(op, a, OFF, b, OFF, want, OFF, n);
                VEC.binary(op, a, OFF, b, OFF, got, OFF, n);
                assertBitwise(op + " n=" + n, want, got);
                for (int i = 0; i < n; i++) {
                    assertEquals(Float.floatToIntBits(op.apply(a[OFF + i], b[OFF + i])),
                            Float.floatToIntBits(want[OFF + i]), op + " reference at " + i);
                }
                REF.binaryScalar(op, a, OFF, s, want, OFF, n);
                VEC.binaryScalar(op, a, OFF, s, got, OFF, n);
                assertBitwise(op + " scalar right n=" + n, want, got);
                REF.scalarBinary(op, s, b, OFF, want, OFF, n);
                VEC.scalarBinary(op, s, b, OFF, got, OFF, n);
                assertBitwise(op + " scalar left n=" + n, want, got);
                assertEquals(op.apply(s, b[OFF + n - 1]), got[OFF + n - 1], 0f, op + " scalar left value");
            }
        }
    }

    @Test
    void fusedMultiplyAddLoopsMatchReferenceBitwiseAndInPlace() {
        Rng rng = new Rng(2);
        for (int n : SIZES) {
            float[] x = random(rng, n, 2f, false);
            float[] w = random(rng, n, 2f, false);
            float[] y0 = random(rng, n, 2f, false);
            float[] want = y0.clone();
            float[] got = y0.clone();
            REF.axpy(-0.75f, x, OFF, want, OFF, n);
            VEC.axpy(-0.75f, x, OFF, got, OFF, n);
            assertBitwise("axpy n=" + n, want, got);
            assertEquals(y0[0], got[0], 0f, "axpy must not touch elements before the offset");
            REF.mulAdd(x, OFF, w, OFF, want, OFF, n);
            VEC.mulAdd(x, OFF, w, OFF, got, OFF, n);
            assertBitwise("mulAdd n=" + n, want, got);
            for (int i = 0; i < n; i++) {
                float expected = Math.fma(x[OFF + i], w[OFF + i], Math.fma(-0.75f, x[OFF + i], y0[OFF + i]));
                assertEquals(expected, got[OFF + i], 0f, "axpy then mulAdd at " + i);
            }
            float[] inPlace = x.clone();
            VEC.binary(BinaryOp.MUL, inPlace, OFF, w, OFF, inPlace, OFF, n);
            REF.binary(BinaryOp.MUL, x, OFF, w, OFF, want, OFF, n);
            for (int i = 0; i < n; i++) {
                assertEquals(want[OFF + i], inPlace[OFF + i], 0f, "in-place mul at " + i);
            }
        }
    }

    @Test
    void sumAndDotAgreeWithExactSumWithinRoundingBound() {
        Rng rng = new Rng(3);
        for (int n : SIZES) {
            float[] a = random(rng, n, 1f, false);
            float[] b = random(rng, n, 1f, false);
            double exactSum = 0;
            double absSum = 0;
            double exactDot = 0;
            double absDot = 0;
            for (int i = OFF; i < OFF + n; i++) {
                exactSum += a[i];
                absSum += Math.abs(a[i]);
                exactDot += (double) a[i] * b[i];
                absDot += Math.abs((double) a[i] * b[i]);
            }
            // Any summation order: |error| <= (n - 1) * eps * sum|x| (to first order).
            double eps = Math.ulp(1f) / 2;
            for (ElementwiseKernel k : new ElementwiseKernel[] {VEC, REF}) {
                assertEquals(exactSum, k.sum(a, OFF, n), n * eps * absSum + 1e-30, k + " sum n=" + n);
                assertEquals(exactDot, k.dot(a, OFF, b, OFF, n), n * eps * absDot + 1e-30, k + " dot n=" + n);
            }
        }
    }

    /** The vector tanh works in blocks of 1024 through a scratch buffer: several blocks, written over its input. */
    @Test
    void tanhInPlaceOverSeveralBlocksMatchesReferenceBitwise() {
        Rng rng = new Rng(9);
        int n = 2 * 1024 + 333;
        float[] x = random(rng, n, 12f, true);
        float[] want = x.clone(); // the elements before OFF stay as they are in both
        REF.tanh(x, OFF, want, OFF, n);
        float[] inPlace = x.clone();
        VEC.tanh(inPlace, OFF, inPlace, OFF, n);
        assertBitwise("tanh in place n=" + n, want, inPlace);
    }

    @Test
    void transcendentalsMatchReferenceBitwise() {
        Rng rng = new Rng(4);
        for (int n : SIZES) {
            for (float scale : new float[] {1f, 12f, 120f}) {
                float[] x = random(rng, n, scale, true);
                float[] want = new float[n + OFF];
                float[] got = new float[n + OFF];
                REF.exp(x, OFF, want, OFF, n);
                VEC.exp(x, OFF, got, OFF, n);
                assertBitwise("exp n=" + n, want, got);
                REF.tanh(x, OFF, want, OFF, n);
                VEC.tanh(x, OFF, got, OFF, n);
                assertBitwise("tanh n=" + n, want, got);
                REF.sigmoid(x, OFF, want, OFF, n);
                VEC.sigmoid(x, OFF, got, OFF, n);
                assertBitwise("sigmoid n=" + n, want, got);
                REF.silu(x, OFF, want, OFF, n);
                VEC.silu(x, OFF, got, OFF, n);
                assertBitwise("silu n=" + n, want, got);
            }
        }
    }

    @Test
    void backwardHelpersMatchReferenceBitwiseAndTheirFormulas() {
        Rng rng = new Rng(5);
        for (int n : SIZES) {
            float[] g = random(rng, n, 1f, false);
            float[] x = random(rng, n, 6f, false);
            float[] t = new float[n + OFF];
            float[] s = new float[n + OFF];
            REF.tanh(x, OFF, t, OFF, n);
            REF.sigmoid(x, OFF, s, OFF, n);
            float[] dx0 = random(rng, n, 1f, false);
            float[][] want = {dx0.clone(), dx0.clone(), dx0.clone()};
            float[][] got = {dx0.clone(), dx0.clone(), dx0.clone()};
            REF.tanhBackward(g, OFF, t, OFF, want[0], OFF, n);
            VEC.tanhBackward(g, OFF, t, OFF, got[0], OFF, n);
            REF.sigmoidBackward(g, OFF, s, OFF, want[1], OFF, n);
            VEC.sigmoidBackward(g, OFF, s, OFF, got[1], OFF, n);
            REF.siluBackward(g, OFF, x, OFF, want[2], OFF, n);
            VEC.siluBackward(g, OFF, x, OFF, got[2], OFF, n);
            assertBitwise("tanhBackward n=" + n, want[0], got[0]);
            assertBitwise("sigmoidBackward n=" + n, want[1], got[1]);
            assertBitwise("siluBackward n=" + n, want[2], got[2]);
            for (int i = OFF; i < OFF + n; i++) {
                double th = Math.tanh(x[i]);
                double sg = 1 / (1 + Math.exp(-x[i]));
                assertEquals(dx0[i] + g[i] * (1 - th * th), got[0][i], 1e-6, "tanh derivative at " + i);
                assertEquals(dx0[i] + g[i] * sg * (1 - sg), got[1][i], 1e-6, "sigmoid derivative at " + i);
                assertEquals(dx0[i] + g[i] * (sg + x[i] * sg * (1 - sg)), got[2][i], 2e-6, "silu derivative at " + i);
            }
        }
    }

    private static double ulps(float got, double exact) {
        return Math.abs(got - exact) / Math.ulp((float) exact);
    }

    @Test
    void expIsWithinAboutOneUlpOfMathExp() {
        double worst = 0;
        int steps = 400_000;
        for (int i = 0; i <= steps; i++) {
            float x = (float) (-87.0 + (88.72 + 87.0) * i / steps);
            worst = Math.max(worst, ulps(FloatMath.exp(x), Math.exp(x)));
        }
        assertTrue(worst <= 1.5, "exp max error " + worst + " ulp");
        assertEquals(1f, FloatMath.exp(0f), 0f);
        assertEquals(0f, FloatMath.exp(Float.NEGATIVE_INFINITY), 0f);
        assertEquals(Float.POSITIVE_INFINITY, FloatMath.exp(Float.POSITIVE_INFINITY), 0f);
        assertEquals(Float.POSITIVE_INFINITY, FloatMath.exp(88.73f), 0f);
        assertTrue(Float.isNaN(FloatMath.exp(Float.NaN)));
        // Subnormal results: within one subnormal step.
        for (float x : new float[] {-88f, -95f, -100f, -103f}) {
            assertEquals(Math.exp(x), FloatMath.exp(x), Float.MIN_VALUE * 1.01, "exp(" + x + ")");
        }
    }

    @Test
    void tanhSigmoidAndSiluAreAccurate() {
        double worstTanh = 0;
        double worstSigmoid = 0;
        double worstSilu = 0;
        int steps = 400_000;
        for (int i = 0; i <= steps; i++) {
            float x = (float) (-12.0 + 24.0 * i / steps);
            if (x != 0f) {
                worstTanh = Math.max(worstTanh, ulps(FloatMath.tanh(x), Math.tanh(x)));
                worstSilu = Math.max(worstSilu, ulps(FloatMath.silu(x), x / (1 + Math.exp(-(double) x))));
            }
            worstSigmoid = Math.max(worstSigmoid, ulps(FloatMath.sigmoid(x), 1 / (1 + Math.exp(-(double) x))));
        }
        assertTrue(worstTanh <= 2.0, "tanh max error " + worstTanh + " ulp");
        assertTrue(worstSigmoid <= 3.0, "sigmoid max error " + worstSigmoid + " ulp");
        assertTrue(worstSilu <= 3.0, "silu max error " + worstSilu + " ulp");
        assertEquals(1f, FloatMath.tanh(Float.POSITIVE_INFINITY), 0f);
        assertEquals(-1f, FloatMath.tanh(-30f), 0f);
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(FloatMath.tanh(-0f)));
        assertTrue(Float.isNaN(FloatMath.tanh(Float.NaN)));
        assertEquals(0f, FloatMath.sigmoid(-200f), 0f);
        assertEquals(1f, FloatMath.sigmoid(200f), 0f);
    }
}
