package dev.recur.core.scan.diagonal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The row operations of {@link DiagonalScanVector}, each over {@code d} channels starting at the given flat
 * offsets, vectorised with a scalar tail; every one does the same float operations per element as its scalar
 * tail, so the lane split never changes a result.
 */
final class ScanRows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private ScanRows() {}

    /** {@code out = x * y + z} (one fused multiply-add per channel). */
    static void fma(float[] x, int xo, float[] y, int yo, float[] z, int zo, float[] out, int oo, int d) {
        int vecEnd = S.loopBound(d);
        int c = 0;
        for (; c < vecEnd; c += S.length()) {
            FloatVector.fromArray(S, x, xo + c).fma(FloatVector.fromArray(S, y, yo + c),
                    FloatVector.fromArray(S, z, zo + c)).intoArray(out, oo + c);
        }
        for (; c < d; c++) {
            out[oo + c] = Math.fma(x[xo + c], y[yo + c], z[zo + c]);
        }
    }

    /** {@code out = x * y}. */
    static void mul(float[] x, int xo, float[] y, int yo, float[] out, int oo, int d) {
        int vecEnd = S.loopBound(d);
        int c = 0;
        for (; c < vecEnd; c += S.length()) {
            FloatVector.fromArray(S, x, xo + c).mul(FloatVector.fromArray(S, y, yo + c)).intoArray(out, oo + c);
        }
        for (; c < d; c++) {
            out[oo + c] = x[xo + c] * y[yo + c];
        }
    }

    /** {@code out = x * y + z} and {@code p *= x}: a step of a chunk's local scan, tracking its coefficients' product. */
    static void fmaTrackingProduct(float[] x, int xo, float[] y, int yo, float[] z, int zo, float[] out, int oo,
                                   float[] p, int d) {
        int vecEnd = S.loopBound(d);
        int c = 0;
        for (; c < vecEnd; c += S.length()) {
            FloatVector xv = FloatVector.fromArray(S, x, xo + c);
            xv.fma(FloatVector.fromArray(S, y, yo + c), FloatVector.fromArray(S, z, zo + c)).intoArray(out, oo + c);
            FloatVector.fromArray(S, p, c).mul(xv).intoArray(p, c);
        }
        for (; c < d; c++) {
            float xc = x[xo + c];
            out[oo + c] = Math.fma(xc, y[yo + c], z[zo + c]);
            p[c] *= xc;
        }
    }

    /**
     * One step of a chunk whose carry is known at its start, in one pass: the local state {@code l = x * l + z},
     * {@code p *= x}, and {@code out = p * carry + l}. Each value is rounded as in the two-pass form
     * ({@link #fmaTrackingProduct}, then {@link #addCarry}), so both give the same bits.
     */
    static void fmaWithCarry(float[] x, int xo, float[] z, int zo, float[] l, float[] p, float[] carry, int co,
                             float[] out, int oo, int d) {
        int vecEnd = S.loopBound(d);
        int c = 0;
        for (; c < vecEnd; c += S.length()) {
            FloatVector xv = FloatVector.fromArray(S, x, xo + c);
            FloatVector lv = xv.fma(FloatVector.fromArray(S, l, c), FloatVector.fromArray(S, z, zo + c));
            lv.intoArray(l, c);
            FloatVector pv = FloatVector.fromArray(S, p, c).mul(xv);
            pv.intoArray(p, c);
            pv.fma(FloatVector.fromArray(S, carry, co + c), lv).intoArray(out, oo + c);
        }
        for (; c < d; c++) {
            float xc = x[xo + c];
            float lc = Math.fma(xc, l[c], z[zo + c]);
            l[c] = lc;
            float pc = p[c] * xc;
            p[c] = pc;
            out[oo + c] = Math.fma(pc, carry[co + c], lc);
        }
    }

    /** {@code p *= x}, then {@code out = p * carry + out}: adds a carried-in state to a row of a local scan. */
    static void addCarry(float[] x, int xo, float[] p, float[] carry, int co, float[] out, int oo, int d) {
        int vecEnd = S.loopBound(d);
        int c = 0;
        for (; c < vecEnd; c += S.length()) {
            FloatVector pv = FloatVector.fromArray(S, p, c).mul(FloatVector.fromArray(S, x, xo + c));
            pv.intoArray(p, c);
            pv.fma(FloatVector.fromArray(S, carry, co + c), FloatVector.fromArray(S, out, oo + c)).intoArray(out, oo + c);
        }
        for (; c < d; c++) {
            float pc = p[c] * x[xo + c];
            p[c] = pc;
            out[oo + c] = Math.fma(pc, carry[co + c], out[oo + c]);
        }
    }
    /**
     * An adjoint step: {@code g = x * y + z} into {@code out} and {@code da = g * prev}, the gradient of the
     * coefficient that multiplied {@code prev}.
     */
    static void fmaAndGrad(float[] x, int xo, float[] y, int yo, float[] z, int zo, float[] out, int oo,
                           float[] prev, int po, float[] da, int dao, int d) {
        int vecEnd = S.loopBound(d);
        int c = 0;
        for (; c < vecEnd; c += S.length()) {
            FloatVector g = FloatVector.fromArray(S, x, xo + c).fma(FloatVector.fromArray(S, y, yo + c),
                    FloatVector.fromArray(S, z, zo + c));
            g.intoArray(out, oo + c);
            g.mul(FloatVector.fromArray(S, prev, po + c)).intoArray(da, dao + c);
        }
        for (; c < d; c++) {
            float g = Math.fma(x[xo + c], y[yo + c], z[zo + c]);
            out[oo + c] = g;
            da[dao + c] = g * prev[po + c];
        }
    }

    /** {@link #fmaWithCarry}, and {@code da = out * prev}. */
    static void fmaWithCarryAndGrad(float[] x, int xo, float[] z, int zo, float[] l, float[] p, float[] carry,
                                    int co, float[] out, int oo, float[] prev, int po, float[] da, int dao, int d) {
        int vecEnd = S.loopBound(d);
        int c = 0;
        for (; c < vecEnd; c += S.length()) {
            FloatVector xv = FloatVector.fromArray(S, x, xo + c);
            FloatVector lv = xv.fma(FloatVector.fromArray(S, l, c), FloatVector.fromArray(S, z, zo + c));
            lv.intoArray(l, c);
            FloatVector pv = FloatVector.fromArray(S, p, c).mul(xv);
            pv.intoArray(p, c);
            FloatVector g = pv.fma(FloatVector.fromArray(S, carry, co + c), lv);
            g.intoArray(out, oo + c);
            g.mul(FloatVector.fromArray(S, prev, po + c)).intoArray(da, dao + c);
        }
        for (; c < d; c++) {
            float xc = x[xo + c];
            float lc = Math.fma(xc, l[c], z[zo + c]);
            l[c] = lc;
            float pc = p[c] * xc;
            p[c] = pc;
            float g = Math.fma(pc, carry[co + c], lc);
            out[oo + c] = g;
            da[dao + c] = g * prev[po + c];
        }
    }

    /** {@link #addCarry}, and {@code da = out * prev}. */
    static void addCarryAndGrad(float[] x, int xo, float[] p, float[] carry, int co, float[] out, int oo,
                                float[] prev, int po, float[] da, int dao, int d) {
        int vecEnd = S.loopBound(d);
        int c = 0;
        for (; c < vecEnd; c += S.length()) {
            FloatVector pv = FloatVector.fromArray(S, p, c).mul(FloatVector.fromArray(S, x, xo + c));
            pv.intoArray(p, c);
            FloatVector g = pv.fma(FloatVector.fromArray(S, carry, co + c), FloatVector.fromArray(S, out, oo + c));
            g.intoArray(out, oo + c);
            g.mul(FloatVector.fromArray(S, prev, po + c)).intoArray(da, dao + c);
        }
        for (; c < d; c++) {
            float pc = p[c] * x[xo + c];
            p[c] = pc;
            float g = Math.fma(pc, carry[co + c], out[oo + c]);
            out[oo + c] = g;
            da[dao + c] = g * prev[po + c];
        }
    }
}
