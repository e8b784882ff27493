package dev.recur.core.kernel.elementwise;

import static dev.recur.core.kernel.elementwise.FloatMath.EXP_MAX;
import static dev.recur.core.kernel.elementwise.FloatMath.EXP_MIN;
import static dev.recur.core.kernel.elementwise.FloatMath.EXP_P0;
import static dev.recur.core.kernel.elementwise.FloatMath.EXP_P1;
import static dev.recur.core.kernel.elementwise.FloatMath.EXP_P2;
import static dev.recur.core.kernel.elementwise.FloatMath.EXP_P3;
import static dev.recur.core.kernel.elementwise.FloatMath.EXP_P4;
import static dev.recur.core.kernel.elementwise.FloatMath.EXP_P5;
import static dev.recur.core.kernel.elementwise.FloatMath.LN2_HI;
import static dev.recur.core.kernel.elementwise.FloatMath.LN2_LO;
import static dev.recur.core.kernel.elementwise.FloatMath.LOG2E;
import static dev.recur.core.kernel.elementwise.FloatMath.ROUND_MAGIC;
import static dev.recur.core.kernel.elementwise.FloatMath.ROUND_MAGIC_BITS;
import static dev.recur.core.kernel.elementwise.FloatMath.TANH_P0;
import static dev.recur.core.kernel.elementwise.FloatMath.TANH_P1;
import static dev.recur.core.kernel.elementwise.FloatMath.TANH_P2;
import static dev.recur.core.kernel.elementwise.FloatMath.TANH_P3;
import static dev.recur.core.kernel.elementwise.FloatMath.TANH_P4;
import static dev.recur.core.kernel.elementwise.FloatMath.TANH_SMALL;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD loops of {@code exp}, {@code tanh}, {@code sigmoid}, {@code silu} and their derivatives, evaluating
 * {@link FloatMath}'s formulas lane by lane so that they match the scalar reference bit for bit.
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP/TANH)}: on JDK 17 it is fast only once C2 has compiled it to
 * the SVML stubs (about as fast as these loops), and falls back to per-lane {@code Math.exp} before that, so
 * its bits would depend on JIT timing and differ from any scalar twin. The exp polynomial is written out in
 * each loop rather than called: a helper taking vectors may fail to inline and then boxes every vector.
 */
final class TranscendentalVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Elements per block of {@link #tanh}: its scratch is this many floats per thread. */
    private static final int BLOCK = 1024;
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[BLOCK]);

    private TranscendentalVector() {}

    static void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        int bound = S.loopBound(n);
        int i = 0;
        FloatVector ln2Hi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector ln2Lo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector p0 = FloatVector.broadcast(S, EXP_P0);
        FloatVector p1 = FloatVector.broadcast(S, EXP_P1);
        FloatVector p2 = FloatVector.broadcast(S, EXP_P2);
        FloatVector p3 = FloatVector.broadcast(S, EXP_P3);
        FloatVector p4 = FloatVector.broadcast(S, EXP_P4);
        FloatVector p5 = FloatVector.broadcast(S, EXP_P5);
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            // e = FloatMath.exp(v)
            FloatVector eC = v.max(EXP_MIN).min(EXP_MAX);
            FloatVector eT = eC.fma(LOG2E, ROUND_MAGIC);
            IntVector eN = ((IntVector) eT.reinterpretAsInts()).sub(ROUND_MAGIC_BITS);
            FloatVector eF = eT.sub(ROUND_MAGIC);
            FloatVector eR = eF.fma(ln2Hi, eC);
            eR = eF.fma(ln2Lo, eR);
            FloatVector eP = p0.fma(eR, p1);
            eP = eP.fma(eR, p2);
            eP = eP.fma(eR, p3);
            eP = eP.fma(eR, p4);
            eP = eP.fma(eR, p5);
            IntVector eN1 = eN.lanewise(VectorOperators.ASHR, 1);
            IntVector eN2 = eN.sub(eN1);
            FloatVector e = eP.fma(eR.mul(eR), eR).add(1f)
                    .mul((FloatVector) eN1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul((FloatVector) eN2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            e.intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = FloatMath.exp(x[xOff + i]);
        }
    }

    /**
     * {@code tanh} in blocks of {@value #BLOCK}, each in two loops: {@code exp(2|x|)} into a per-thread scratch
     * block, then the polynomial for small inputs, {@code 1 - 2 / (e + 1)} for the others and the sign. Written as
     * one loop, with a mask blend and the sign copied by integer AND and OR, C2 compiled its last operations as the
     * Vector API's allocating fallback in some processes (a third of the benchmark LSTM's allocation, and its
     * cell updates several times slower); in five benchmark processes this form showed no such allocation.
     */
    static void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        tanhRows(x, xOff, 0, y, yOff, 0, 1, n);
    }

    /**
     * {@link #tanh} of {@code rows} rows of {@code n} elements, row {@code r} read at {@code xOff + r * xStride}
     * and written at {@code yOff + r * yStride}.
     */
    static void tanhRows(float[] x, int xOff, int xStride, float[] y, int yOff, int yStride, int rows, int n) {
        int bound = S.loopBound(n);
        float[] e = SCRATCH.get();
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * xStride;
            int yr = yOff + r * yStride;
            for (int b0 = 0; b0 < bound; b0 += BLOCK) {
                int len = Math.min(BLOCK, bound - b0);
                expOfTwiceAbs(x, xr + b0, e, len);
                tanhFromExp(x, xr + b0, e, y, yr + b0, len);
            }
            for (int i = bound; i < n; i++) {
                y[yr + i] = FloatMath.tanh(x[xr + i]);
            }
        }
    }

    /** {@code e[i] = FloatMath.exp(2 |x[xOff + i]|)} for {@code i < len}, a multiple of the vector length. */
    private static void expOfTwiceAbs(float[] x, int xOff, float[] e, int len) {
        FloatVector ln2Hi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector ln2Lo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector p0 = FloatVector.broadcast(S, EXP_P0);
        FloatVector p1 = FloatVector.broadcast(S, EXP_P1);
        FloatVector p2 = FloatVector.broadcast(S, EXP_P2);
        FloatVector p3 = FloatVector.broadcast(S, EXP_P3);
        FloatVector p4 = FloatVector.broadcast(S, EXP_P4);
        FloatVector p5 = FloatVector.broadcast(S, EXP_P5);
        for (int i = 0; i < len; i += L) {
            FloatVector a = FloatVector.fromArray(S, x, xOff + i).abs();
            FloatVector twoA = a.add(a);
            FloatVector eC = twoA.max(EXP_MIN).min(EXP_MAX);
            FloatVector eT = eC.fma(LOG2E, ROUND_MAGIC);
            IntVector eN = ((IntVector) eT.reinterpretAsInts()).sub(ROUND_MAGIC_BITS);
            FloatVector eF = eT.sub(ROUND_MAGIC);
            FloatVector eR = eF.fma(ln2Hi, eC);
            eR = eF.fma(ln2Lo, eR);
            FloatVector eP = p0.fma(eR, p1);
            eP = eP.fma(eR, p2);
            eP = eP.fma(eR, p3);
            eP = eP.fma(eR, p4);
            eP = eP.fma(eR, p5);
            IntVector eN1 = eN.lanewise(VectorOperators.ASHR, 1);
            IntVector eN2 = eN.sub(eN1);
            eP.fma(eR.mul(eR), eR).add(1f)
                    .mul((FloatVector) eN1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul((FloatVector) eN2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .intoArray(e, i);
        }
    }

    /** {@code y = FloatMath.tanh(x)} given {@code e = exp(2|x|)}, for {@code len} (a multiple of L) elements. */
    private static void tanhFromExp(float[] x, int xOff, float[] e, float[] y, int yOff, int len) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector two = FloatVector.broadcast(S, 2f);
        FloatVector t0 = FloatVector.broadcast(S, TANH_P0);
        FloatVector t1 = FloatVector.broadcast(S, TANH_P1);
        FloatVector t2 = FloatVector.broadcast(S, TANH_P2);
        FloatVector t3 = FloatVector.broadcast(S, TANH_P3);
        FloatVector t4 = FloatVector.broadcast(S, TANH_P4);
        FloatVector zero = FloatVector.zero(S);
        FloatVector smallBound = FloatVector.broadcast(S, TANH_SMALL);
        FloatVector huge = FloatVector.broadcast(S, 0x1p100f);
        for (int i = 0; i < len; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            // Float arithmetic only, no mask blend and no bit operations: in some processes C2 compiled those
            // here (or whatever used their results) as the Vector API's allocating fallback. Everything is
            // computed on |v| and the sign is applied last, which gives FloatMath.tanh's bits: its polynomial is
            // odd and evaluated with sign-symmetric operations.
            FloatVector a = v.abs();
            FloatVector as = a.min(smallBound); // the polynomial's input, kept finite where it is not used
            FloatVector z = as.mul(as);
            FloatVector p = t0.fma(z, t1);
            p = p.fma(z, t2);
            p = p.fma(z, t3);
            p = p.fma(z, t4);
            FloatVector small = p.mul(z).fma(as, as);
            FloatVector big = one.sub(two.div(FloatVector.fromArray(S, e, i).add(one)));
            // 1 where a < TANH_SMALL (the difference is then at least an ulp of TANH_SMALL), else 0; the select
            // small * m + big * (1 - m) is exact since both candidates are finite.
            FloatVector m = smallBound.sub(a).mul(huge).max(zero).min(one);
            FloatVector t = small.mul(m).add(big.mul(one.sub(m)));
            // copySign(t, v) as t times 1 - 2 * (v's sign bit), exact, -0 included.
            IntVector negative = ((IntVector) v.reinterpretAsInts()).lanewise(VectorOperators.LSHR, 31);
            FloatVector sign = one.sub(two.mul((FloatVector) negative.convertShape(VectorOperators.I2F, S, 0)));
            t.mul(sign).intoArray(y, yOff + i);
        }
    }

    static void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        sigmoidRows(x, xOff, 0, y, yOff, 0, 1, n);
    }

    /** {@link #sigmoid} of {@code rows} rows laid out as in {@link #tanhRows}. */
    static void sigmoidRows(float[] x, int xOff, int xStride, float[] y, int yOff, int yStride, int rows, int n) {
        int bound = S.loopBound(n);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector ln2Hi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector ln2Lo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector p0 = FloatVector.broadcast(S, EXP_P0);
        FloatVector p1 = FloatVector.broadcast(S, EXP_P1);
        FloatVector p2 = FloatVector.broadcast(S, EXP_P2);
        FloatVector p3 = FloatVector.broadcast(S, EXP_P3);
        FloatVector p4 = FloatVector.broadcast(S, EXP_P4);
        FloatVector p5 = FloatVector.broadcast(S, EXP_P5);
        for (int row = 0; row < rows; row++) {
            int xr = xOff + row * xStride;
            int yr = yOff + row * yStride;
            int i = 0;
            for (; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xr + i);
                FloatVector negV = v.neg();
                // e = FloatMath.exp(negV)
                FloatVector eC = negV.max(EXP_MIN).min(EXP_MAX);
                FloatVector eT = eC.fma(LOG2E, ROUND_MAGIC);
                IntVector eN = ((IntVector) eT.reinterpretAsInts()).sub(ROUND_MAGIC_BITS);
                FloatVector eF = eT.sub(ROUND_MAGIC);
                FloatVector eR = eF.fma(ln2Hi, eC);
                eR = eF.fma(ln2Lo, eR);
                FloatVector eP = p0.fma(eR, p1);
                eP = eP.fma(eR, p2);
                eP = eP.fma(eR, p3);
                eP = eP.fma(eR, p4);
                eP = eP.fma(eR, p5);
                IntVector eN1 = eN.lanewise(VectorOperators.ASHR, 1);
                IntVector eN2 = eN.sub(eN1);
                FloatVector e = eP.fma(eR.mul(eR), eR).add(1f)
                        .mul((FloatVector) eN1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                        .mul((FloatVector) eN2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
                one.div(e.add(1f)).intoArray(y, yr + i);
            }
            for (; i < n; i++) {
                y[yr + i] = FloatMath.sigmoid(x[xr + i]);
            }
        }
    }

    static void silu(float[] x, int xOff, float[] y, int yOff, int n) {
        int bound = S.loopBound(n);
        int i = 0;
        FloatVector ln2Hi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector ln2Lo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector p0 = FloatVector.broadcast(S, EXP_P0);
        FloatVector p1 = FloatVector.broadcast(S, EXP_P1);
        FloatVector p2 = FloatVector.broadcast(S, EXP_P2);
        FloatVector p3 = FloatVector.broadcast(S, EXP_P3);
        FloatVector p4 = FloatVector.broadcast(S, EXP_P4);
        FloatVector p5 = FloatVector.broadcast(S, EXP_P5);
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            FloatVector negV = v.neg();
            // e = FloatMath.exp(negV)
            FloatVector eC = negV.max(EXP_MIN).min(EXP_MAX);
            FloatVector eT = eC.fma(LOG2E, ROUND_MAGIC);
            IntVector eN = ((IntVector) eT.reinterpretAsInts()).sub(ROUND_MAGIC_BITS);
            FloatVector eF = eT.sub(ROUND_MAGIC);
            FloatVector eR = eF.fma(ln2Hi, eC);
            eR = eF.fma(ln2Lo, eR);
            FloatVector eP = p0.fma(eR, p1);
            eP = eP.fma(eR, p2);
            eP = eP.fma(eR, p3);
            eP = eP.fma(eR, p4);
            eP = eP.fma(eR, p5);
            IntVector eN1 = eN.lanewise(VectorOperators.ASHR, 1);
            IntVector eN2 = eN.sub(eN1);
            FloatVector e = eP.fma(eR.mul(eR), eR).add(1f)
                    .mul((FloatVector) eN1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul((FloatVector) eN2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            v.div(e.add(1f)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = FloatMath.silu(x[xOff + i]);
        }
    }

    static void tanhBackward(float[] g, int gOff, float[] y, int yOff, float[] dx, int dxOff, int n) {
        int bound = S.loopBound(n);
        int i = 0;
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (; i < bound; i += L) {
            FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
            FloatVector d = yv.neg().fma(yv, one);
            FloatVector.fromArray(S, g, gOff + i).fma(d, FloatVector.fromArray(S, dx, dxOff + i))
                    .intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            float yi = y[yOff + i];
            dx[dxOff + i] = Math.fma(g[gOff + i], Math.fma(-yi, yi, 1f), dx[dxOff + i]);
        }
    }

    static void sigmoidBackward(float[] g, int gOff, float[] y, int yOff, float[] dx, int dxOff, int n) {
        int bound = S.loopBound(n);
        int i = 0;
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (; i < bound; i += L) {
            FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
            FloatVector d = yv.mul(one.sub(yv));
            FloatVector.fromArray(S, g, gOff + i).fma(d, FloatVector.fromArray(S, dx, dxOff + i))
                    .intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            float yi = y[yOff + i];
            dx[dxOff + i] = Math.fma(g[gOff + i], yi * (1f - yi), dx[dxOff + i]);
        }
    }

    static void siluBackward(float[] g, int gOff, float[] x, int xOff, float[] dx, int dxOff, int n) {
        int bound = S.loopBound(n);
        int i = 0;
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector ln2Hi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector ln2Lo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector p0 = FloatVector.broadcast(S, EXP_P0);
        FloatVector p1 = FloatVector.broadcast(S, EXP_P1);
        FloatVector p2 = FloatVector.broadcast(S, EXP_P2);
        FloatVector p3 = FloatVector.broadcast(S, EXP_P3);
        FloatVector p4 = FloatVector.broadcast(S, EXP_P4);
        FloatVector p5 = FloatVector.broadcast(S, EXP_P5);
        for (; i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
            FloatVector negX = xv.neg();
            // e = FloatMath.exp(negX)
            FloatVector eC = negX.max(EXP_MIN).min(EXP_MAX);
            FloatVector eT = eC.fma(LOG2E, ROUND_MAGIC);
            IntVector eN = ((IntVector) eT.reinterpretAsInts()).sub(ROUND_MAGIC_BITS);
            FloatVector eF = eT.sub(ROUND_MAGIC);
            FloatVector eR = eF.fma(ln2Hi, eC);
            eR = eF.fma(ln2Lo, eR);
            FloatVector eP = p0.fma(eR, p1);
            eP = eP.fma(eR, p2);
            eP = eP.fma(eR, p3);
            eP = eP.fma(eR, p4);
            eP = eP.fma(eR, p5);
            IntVector eN1 = eN.lanewise(VectorOperators.ASHR, 1);
            IntVector eN2 = eN.sub(eN1);
            FloatVector e = eP.fma(eR.mul(eR), eR).add(1f)
                    .mul((FloatVector) eN1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul((FloatVector) eN2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            FloatVector s = one.div(e.add(1f));
            FloatVector d = s.mul(xv.fma(one.sub(s), one));
            FloatVector.fromArray(S, g, gOff + i).fma(d, FloatVector.fromArray(S, dx, dxOff + i))
                    .intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            float xi = x[xOff + i];
            float s = FloatMath.sigmoid(xi);
            dx[dxOff + i] = Math.fma(g[gOff + i], s * Math.fma(xi, 1f - s, 1f), dx[dxOff + i]);
        }
    }
}
