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
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD elementwise kernels (jdk.incubator.vector, the platform's preferred width). Each loop runs whole vectors
 * and finishes the tail with the scalar formula of {@link ElementwiseReference}, so results match it bit for
 * bit, except {@link #sum} and {@link #dot} (lane-wise partial sums, added in a different order).
 *
 * <p>Transcendentals use {@link FloatMath}'s polynomial formulas rather than
 * {@code lanewise(VectorOperators.EXP)}: the latter is fast on JDK 17 only once C2 has compiled it to the SVML
 * stubs, and falls back to per-lane {@code Math.exp} before that, so its bits would depend on JIT timing.
 */
public final class ElementwiseVector implements ElementwiseKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public void binary(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        int bound = S.loopBound(n);
        int i = 0;
        switch (op) {
            case ADD:
                for (; i < bound; i += L) {
                    FloatVector.fromArray(S, a, aOff + i).add(FloatVector.fromArray(S, b, bOff + i))
                            .intoArray(y, yOff + i);
                }
                break;
            case SUB:
                for (; i < bound; i += L) {
                    FloatVector.fromArray(S, a, aOff + i).sub(FloatVector.fromArray(S, b, bOff + i))
                            .intoArray(y, yOff + i);
                }
                break;
            case MUL:
                for (; i < bound; i += L) {
                    FloatVector.fromArray(S, a, aOff + i).mul(FloatVector.fromArray(S, b, bOff + i))
                            .intoArray(y, yOff + i);
                }
                break;
            default:
                for (; i < bound; i += L) {
                    FloatVector.fromArray(S, a, aOff + i).div(FloatVector.fromArray(S, b, bOff + i))
                            .intoArray(y, yOff + i);
                }
                break;
        }
        for (; i < n; i++) {
            y[yOff + i] = op.apply(a[aOff + i], b[bOff + i]);
        }
    }

    @Override
    public void binaryScalar(BinaryOp op, float[] a, int aOff, float s, float[] y, int yOff, int n) {
        int bound = S.loopBound(n);
        int i = 0;
        switch (op) {
            case ADD:
                for (; i < bound; i += L) {
                    FloatVector.fromArray(S, a, aOff + i).add(s).intoArray(y, yOff + i);
                }
                break;
            case SUB:
                for (; i < bound; i += L) {
                    FloatVector.fromArray(S, a, aOff + i).sub(s).intoArray(y, yOff + i);
                }
                break;
            case MUL:
                for (; i < bound; i += L) {
                    FloatVector.fromArray(S, a, aOff + i).mul(s).intoArray(y, yOff + i);
                }
                break;
            default:
                for (; i < bound; i += L) {
                    FloatVector.fromArray(S, a, aOff + i).div(s).intoArray(y, yOff + i);
                }
                break;
        }
        for (; i < n; i++) {
            y[yOff + i] = op.apply(a[aOff + i], s);
        }
    }

    @Override
    public void scalarBinary(BinaryOp op, float s, float[] b, int bOff, float[] y, int yOff, int n) {
        int bound = S.loopBound(n);
        int i = 0;
        FloatVector sv = FloatVector.broadcast(S, s);
        switch (op) {
            case ADD:
                for (; i < bound; i += L) {
                    sv.add(FloatVector.fromArray(S, b, bOff + i)).intoArray(y, yOff + i);
                }
                break;
            case SUB:
                for (; i < bound; i += L) {
                    sv.sub(FloatVector.fromArray(S, b, bOff + i)).intoArray(y, yOff + i);
                }
                break;
            case MUL:
                for (; i < bound; i += L) {
                    sv.mul(FloatVector.fromArray(S, b, bOff + i)).intoArray(y, yOff + i);
                }
                break;
            default:
                for (; i < bound; i += L) {
                    sv.div(FloatVector.fromArray(S, b, bOff + i)).intoArray(y, yOff + i);
                }
                break;
        }
        for (; i < n; i++) {
            y[yOff + i] = op.apply(s, b[bOff + i]);
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        int bound = S.loopBound(n);
        int i = 0;
        FloatVector av = FloatVector.broadcast(S, alpha);
        for (; i < bound; i += L) {
            av.fma(FloatVector.fromArray(S, x, xOff + i), FloatVector.fromArray(S, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
        }
    }

    @Override
    public void mulAdd(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, a, aOff + i)
                    .fma(FloatVector.fromArray(S, b, bOff + i), FloatVector.fromArray(S, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = Math.fma(a[aOff + i], b[bOff + i], y[yOff + i]);
        }
    }

    @Override
    public float sum(float[] x, int off, int n) {
        int bound2 = n - n % (2 * L);
        int i = 0;
        // Two accumulators hide the add latency.
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        for (; i < bound2; i += 2 * L) {
            acc0 = acc0.add(FloatVector.fromArray(S, x, off + i));
            acc1 = acc1.add(FloatVector.fromArray(S, x, off + i + L));
        }
        if (i + L <= n) {
            acc0 = acc0.add(FloatVector.fromArray(S, x, off + i));
            i += L;
        }
        float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += x[off + i];
        }
        return s;
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int bound2 = n - n % (2 * L);
        int i = 0;
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        for (; i < bound2; i += 2 * L) {
            acc0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc0);
            acc1 = FloatVector.fromArray(S, a, aOff + i + L).fma(FloatVector.fromArray(S, b, bOff + i + L), acc1);
        }
        if (i + L <= n) {
            acc0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc0);
            i += L;
        }
        float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s = Math.fma(a[aOff + i], b[bOff + i], s);
        }
        return s;
    }

    /** {@link FloatMath#exp} on every lane; small enough that C2 inlines it into each caller's loop. */
    private static FloatVector expLanes(FloatVector x) {
        FloatVector xc = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector t = xc.fma(LOG2E, ROUND_MAGIC);
        IntVector n = ((IntVector) t.reinterpretAsInts()).sub(ROUND_MAGIC_BITS);
        FloatVector nf = t.sub(ROUND_MAGIC);
        FloatVector r = nf.fma(FloatVector.broadcast(S, -LN2_HI), xc);
        r = nf.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, EXP_P0).fma(r, FloatVector.broadcast(S, EXP_P1));
        p = p.fma(r, FloatVector.broadcast(S, EXP_P2));
        p = p.fma(r, FloatVector.broadcast(S, EXP_P3));
        p = p.fma(r, FloatVector.broadcast(S, EXP_P4));
        p = p.fma(r, FloatVector.broadcast(S, EXP_P5));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        IntVector n1 = n.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = n.sub(n1);
        FloatVector s1 = (FloatVector) n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = (FloatVector) n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(s1).mul(s2);
    }

    @Override
    public void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            expLanes(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = FloatMath.exp(x[xOff + i]);
        }
    }

    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            FloatVector a = v.abs();
            FloatVector z = v.mul(v);
            FloatVector p = FloatVector.broadcast(S, TANH_P0).fma(z, FloatVector.broadcast(S, TANH_P1));
            p = p.fma(z, FloatVector.broadcast(S, TANH_P2));
            p = p.fma(z, FloatVector.broadcast(S, TANH_P3));
            p = p.fma(z, FloatVector.broadcast(S, TANH_P4));
            FloatVector small = p.mul(z).fma(v, v);
            FloatVector e = expLanes(a.add(a));
            FloatVector big = FloatVector.broadcast(S, 2f).div(e.add(1f)).neg().add(1f);
            VectorMask<Float> isSmall = a.lt(TANH_SMALL);
            FloatVector t = big.blend(small, isSmall);
            // copySign(t, v): t is either non-negative or already has the sign of v, so OR-ing in v's sign bit
            // is enough.
            IntVector sign = ((IntVector) v.reinterpretAsInts()).and(0x80000000);
            IntVector signed = ((IntVector) t.reinterpretAsInts()).or(sign);
            ((FloatVector) signed.reinterpretAsFloats()).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = FloatMath.tanh(x[xOff + i]);
        }
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        int bound = S.loopBound(n);
        int i = 0;
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            one.div(expLanes(v.neg()).add(1f)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = FloatMath.sigmoid(x[xOff + i]);
        }
    }

    @Override
    public void silu(float[] x, int xOff, float[] y, int yOff, int n) {
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            v.div(expLanes(v.neg()).add(1f)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = FloatMath.silu(x[xOff + i]);
        }
    }

    @Override
    public void tanhBackward(float[] g, int gOff, float[] y, int yOff, float[] dx, int dxOff, int n) {
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

    @Override
    public void sigmoidBackward(float[] g, int gOff, float[] y, int yOff, float[] dx, int dxOff, int n) {
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

    @Override
    public void siluBackward(float[] g, int gOff, float[] x, int xOff, float[] dx, int dxOff, int n) {
        int bound = S.loopBound(n);
        int i = 0;
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (; i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
            FloatVector s = one.div(expLanes(xv.neg()).add(1f));
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
