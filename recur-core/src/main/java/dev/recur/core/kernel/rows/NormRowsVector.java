package dev.recur.core.kernel.rows;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD twin of {@link NormRowsReference}: each row is swept with full-width vectors and a scalar tail. Row sums
 * are reduced lane-wise, so they differ from the reference's sequential sums by rounding only.
 */
public final class NormRowsVector implements NormRows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Override
    public void rmsNorm(float[] x, float[] w, float[] y, float[] rstd, int rows, int n, float eps) {
        int bound = S.loopBound(n);
        for (int r = 0; r < rows; r++) {
            int off = r * n;
            FloatVector acc = FloatVector.zero(S);
            int i = 0;
            for (; i < bound; i += S.length()) {
                FloatVector v = FloatVector.fromArray(S, x, off + i);
                acc = v.fma(v, acc);
            }
            float ss = acc.reduceLanes(VectorOperators.ADD);
            for (; i < n; i++) {
                ss = Math.fma(x[off + i], x[off + i], ss);
            }
            float rs = (float) (1.0 / Math.sqrt(ss / n + eps));
            rstd[r] = rs;
            i = 0;
            for (; i < bound; i += S.length()) {
                FloatVector v = FloatVector.fromArray(S, x, off + i).mul(rs);
                if (w != null) {
                    v = v.mul(FloatVector.fromArray(S, w, i));
                }
                v.intoArray(y, off + i);
            }
            for (; i < n; i++) {
                float v = x[off + i] * rs;
                y[off + i] = w == null ? v : v * w[i];
            }
        }
    }

    @Override
    public void rmsNormBackward(float[] x, float[] w, float[] rstd, float[] dy, float[] dx, float[] dw,
                                int rows, int n) {
        int bound = S.loopBound(n);
        for (int r = 0; r < rows; r++) {
            int off = r * n;
            float rs = rstd[r];
            if (dx != null) {
                FloatVector acc = FloatVector.zero(S);
                int i = 0;
                for (; i < bound; i += S.length()) {
                    FloatVector g = FloatVector.fromArray(S, dy, off + i);
                    if (w != null) {
                        g = g.mul(FloatVector.fromArray(S, w, i));
                    }
                    acc = g.fma(FloatVector.fromArray(S, x, off + i), acc);
                }
                float dot = acc.reduceLanes(VectorOperators.ADD);
                for (; i < n; i++) {
                    float g = w == null ? dy[off + i] : dy[off + i] * w[i];
                    dot = Math.fma(g, x[off + i], dot);
                }
                float c = rs * rs * dot / n;
                FloatVector negC = FloatVector.broadcast(S, -c);
                FloatVector vrs = FloatVector.broadcast(S, rs);
                i = 0;
                for (; i < bound; i += S.length()) {
                    FloatVector g = FloatVector.fromArray(S, dy, off + i);
                    if (w != null) {
                        g = g.mul(FloatVector.fromArray(S, w, i));
                    }
                    FloatVector inner = FloatVector.fromArray(S, x, off + i).fma(negC, g);
                    vrs.fma(inner, FloatVector.fromArray(S, dx, off + i)).intoArray(dx, off + i);
                }
                for (; i < n; i++) {
                    float g = w == null ? dy[off + i] : dy[off + i] * w[i];
                    dx[off + i] = Math.fma(rs, Math.fma(-x[off + i], c, g), dx[off + i]);
                }
            }
            if (dw != null) {
                int i = 0;
                for (; i < bound; i += S.length()) {
                    FloatVector xh = FloatVector.fromArray(S, x, off + i).mul(rs);
                    FloatVector.fromArray(S, dy, off + i).fma(xh, FloatVector.fromArray(S, dw, i)).intoArray(dw, i);
                }
                for (; i < n; i++) {
                    dw[i] = Math.fma(dy[off + i], x[off + i] * rs, dw[i]);
                }
            }
        }
    }

    @Override
    public void layerNorm(float[] x, float[] w, float[] b, float[] y, float[] mean, float[] rstd, int rows, int n,
                          float eps) {
        int bound = S.loopBound(n);
        for (int r = 0; r < rows; r++) {
            int off = r * n;
            FloatVector acc = FloatVector.zero(S);
            int i = 0;
            for (; i < bound; i += S.length()) {
                acc = acc.add(FloatVector.fromArray(S, x, off + i));
            }
            float sum = acc.reduceLanes(VectorOperators.ADD);
            for (; i < n; i++) {
                sum += x[off + i];
            }
            float m = sum / n;
            FloatVector vm = FloatVector.broadcast(S, m);
            acc = FloatVector.zero(S);
            i = 0;
            for (; i < bound; i += S.length()) {
                FloatVector d = FloatVector.fromArray(S, x, off + i).sub(vm);
                acc = d.fma(d, acc);
            }
            float ss = acc.reduceLanes(VectorOperators.ADD);
            for (; i < n; i++) {
                float d = x[off + i] - m;
                ss = Math.fma(d, d, ss);
            }
            float rs = (float) (1.0 / Math.sqrt(ss / n + eps));
            mean[r] = m;
            rstd[r] = rs;
            i = 0;
            for (; i < bound; i += S.length()) {
                FloatVector v = FloatVector.fromArray(S, x, off + i).sub(vm).mul(rs);
                if (w != null) {
                    v = v.mul(FloatVector.fromArray(S, w, i));
                }
                if (b != null) {
                    v = v.add(FloatVector.fromArray(S, b, i));
                }
                v.intoArray(y, off + i);
            }
            for (; i < n; i++) {
                float v = (x[off + i] - m) * rs;
                if (w != null) {
                    v *= w[i];
                }
                y[off + i] = b == null ? v : v + b[i];
            }
        }
    }

    @Override
    public void layerNormBackward(float[] x, float[] w, float[] mean, float[] rstd, float[] dy, float[] dx,
                                  float[] dw, float[] db, int rows, int n) {
        int bound = S.loopBound(n);
        for (int r = 0; r < rows; r++) {
            int off = r * n;
            float m = mean[r];
            float rs = rstd[r];
            FloatVector vm = FloatVector.broadcast(S, m);
            if (dx != null) {
                FloatVector accG = FloatVector.zero(S);
                FloatVector accGx = FloatVector.zero(S);
                int i = 0;
                for (; i < bound; i += S.length()) {
                    FloatVector g = FloatVector.fromArray(S, dy, off + i);
                    if (w != null) {
                        g = g.mul(FloatVector.fromArray(S, w, i));
                    }
                    accG = accG.add(g);
                    accGx = g.fma(FloatVector.fromArray(S, x, off + i).sub(vm).mul(rs), accGx);
                }
                float sumG = accG.reduceLanes(VectorOperators.ADD);
                float sumGx = accGx.reduceLanes(VectorOperators.ADD);
                for (; i < n; i++) {
                    float g = w == null ? dy[off + i] : dy[off + i] * w[i];
                    sumG += g;
                    sumGx = Math.fma(g, (x[off + i] - m) * rs, sumGx);
                }
                float meanG = sumG / n;
                float meanGx = sumGx / n;
                FloatVector negMeanGx = FloatVector.broadcast(S, -meanGx);
                FloatVector vrs = FloatVector.broadcast(S, rs);
                i = 0;
                for (; i < bound; i += S.length()) {
                    FloatVector g = FloatVector.fromArray(S, dy, off + i);
                    if (w != null) {
                        g = g.mul(FloatVector.fromArray(S, w, i));
                    }
                    FloatVector xhat = FloatVector.fromArray(S, x, off + i).sub(vm).mul(rs);
                    FloatVector inner = xhat.fma(negMeanGx, g.sub(meanG));
                    vrs.fma(inner, FloatVector.fromArray(S, dx, off + i)).intoArray(dx, off + i);
                }
                for (; i < n; i++) {
                    float g = w == null ? dy[off + i] : dy[off + i] * w[i];
                    float xhat = (x[off + i] - m) * rs;
                    dx[off + i] = Math.fma(rs, Math.fma(-xhat, meanGx, g - meanG), dx[off + i]);
                }
            }
            if (dw != null) {
                int i = 0;
                for (; i < bound; i += S.length()) {
                    FloatVector xhat = FloatVector.fromArray(S, x, off + i).sub(vm).mul(rs);
                    FloatVector.fromArray(S, dy, off + i).fma(xhat, FloatVector.fromArray(S, dw, i)).intoArray(dw, i);
                }
                for (; i < n; i++) {
                    dw[i] = Math.fma(dy[off + i], (x[off + i] - m) * rs, dw[i]);
                }
            }
            if (db != null) {
                int i = 0;
                for (; i < bound; i += S.length()) {
                    FloatVector.fromArray(S, db, i).add(FloatVector.fromArray(S, dy, off + i)).intoArray(db, i);
                }
                for (; i < n; i++) {
                    db[i] += dy[off + i];
                }
            }
        }
    }
}
