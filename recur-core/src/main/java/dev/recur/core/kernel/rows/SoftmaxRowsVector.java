package dev.recur.core.kernel.rows;

import dev.recur.core.kernel.elementwise.ElementwiseKernel;
import dev.recur.core.kernel.elementwise.ElementwiseVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD twin of {@link SoftmaxRowsReference}. Each row is swept with full-width vectors and a scalar tail. The
 * exponential runs as a separate pass on {@link ElementwiseVector#exp}, whose SIMD and scalar paths agree to
 * the bit; {@code lanewise(EXP)} would be as fast once compiled, but its bits change when the JIT compiles the
 * loop, which would break "same seed, same bits". Results match the reference to a few ulps.
 */
public final class SoftmaxRowsVector implements SoftmaxRows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ElementwiseKernel EXP = new ElementwiseVector();

    @Override
    public void softmax(float[] x, float[] y, int rows, int n) {
        int bound = S.loopBound(n);
        for (int r = 0; r < rows; r++) {
            int off = r * n;
            float max = rowMax(x, off, n);
            shifted(x, off, max, y, off, n);
            EXP.exp(y, off, y, off, n);
            float inv = 1f / sum(y, off, n);
            int i = 0;
            for (; i < bound; i += S.length()) {
                FloatVector.fromArray(S, y, off + i).mul(inv).intoArray(y, off + i);
            }
            for (; i < n; i++) {
                y[off + i] *= inv;
            }
        }
    }

    @Override
    public void logSoftmax(float[] x, float[] y, int rows, int n) {
        int bound = S.loopBound(n);
        for (int r = 0; r < rows; r++) {
            int off = r * n;
            float max = rowMax(x, off, n);
            float logSum = rowLogSum(x, off, n, max);
            FloatVector vmax = FloatVector.broadcast(S, max);
            int i = 0;
            for (; i < bound; i += S.length()) {
                FloatVector.fromArray(S, x, off + i).sub(vmax).sub(logSum).intoArray(y, off + i);
            }
            for (; i < n; i++) {
                y[off + i] = (x[off + i] - max) - logSum;
            }
        }
    }

    @Override
    public void softmaxBackward(float[] y, float[] dy, float[] dx, int rows, int n) {
        int bound = S.loopBound(n);
        for (int r = 0; r < rows; r++) {
            int off = r * n;
            FloatVector acc = FloatVector.zero(S);
            int i = 0;
            for (; i < bound; i += S.length()) {
                acc = FloatVector.fromArray(S, dy, off + i).fma(FloatVector.fromArray(S, y, off + i), acc);
            }
            float dot = acc.reduceLanes(VectorOperators.ADD);
            for (; i < n; i++) {
                dot = Math.fma(dy[off + i], y[off + i], dot);
            }
            i = 0;
            for (; i < bound; i += S.length()) {
                FloatVector g = FloatVector.fromArray(S, dy, off + i).sub(dot);
                FloatVector.fromArray(S, y, off + i).fma(g, FloatVector.fromArray(S, dx, off + i))
                        .intoArray(dx, off + i);
            }
            for (; i < n; i++) {
                dx[off + i] = Math.fma(y[off + i], dy[off + i] - dot, dx[off + i]);
            }
        }
    }

    @Override
    public void logSoftmaxBackward(float[] y, float[] dy, float[] dx, int rows, int n) {
        int bound = S.loopBound(n);
        float[] p = new float[n]; // softmax of one row
        for (int r = 0; r < rows; r++) {
            int off = r * n;
            FloatVector acc = FloatVector.zero(S);
            int i = 0;
            for (; i < bound; i += S.length()) {
                acc = acc.add(FloatVector.fromArray(S, dy, off + i));
            }
            float sum = acc.reduceLanes(VectorOperators.ADD);
            for (; i < n; i++) {
                sum += dy[off + i];
            }
            EXP.exp(y, off, p, 0, n);
            FloatVector vsum = FloatVector.broadcast(S, -sum);
            i = 0;
            for (; i < bound; i += S.length()) {
                FloatVector.fromArray(S, p, i).fma(vsum, FloatVector.fromArray(S, dy, off + i))
                        .add(FloatVector.fromArray(S, dx, off + i)).intoArray(dx, off + i);
            }
            for (; i < n; i++) {
                dx[off + i] += Math.fma(p[i], -sum, dy[off + i]);
            }
        }
    }

    @Override
    public void logSumExp(float[] x, float[] max, float[] logSum, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            max[r] = rowMax(x, r * n, n);
            logSum[r] = rowLogSum(x, r * n, n, max[r]);
        }
    }

    @Override
    public void addScaledSoftmax(float[] x, float[] max, float[] logSum, float[] scale, float[] dx, int rows,
                                 int n) {
        int bound = S.loopBound(n);
        float[] p = new float[n]; // softmax of one row
        for (int r = 0; r < rows; r++) {
            float s = scale[r];
            if (s == 0f) {
                continue;
            }
            int off = r * n;
            float m = max[r];
            float l = logSum[r];
            FloatVector vs = FloatVector.broadcast(S, s);
            FloatVector vm = FloatVector.broadcast(S, m);
            int i = 0;
            for (; i < bound; i += S.length()) {
                FloatVector.fromArray(S, x, off + i).sub(vm).sub(l).intoArray(p, i);
            }
            for (; i < n; i++) {
                p[i] = (x[off + i] - m) - l;
            }
            EXP.exp(p, 0, p, 0, n);
            i = 0;
            for (; i < bound; i += S.length()) {
                vs.fma(FloatVector.fromArray(S, p, i), FloatVector.fromArray(S, dx, off + i)).intoArray(dx, off + i);
            }
            for (; i < n; i++) {
                dx[off + i] = Math.fma(s, p[i], dx[off + i]);
            }
        }
    }

    private static float rowMax(float[] x, int off, int n) {
        FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            acc = acc.max(FloatVector.fromArray(S, x, off + i));
        }
        float max = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        return max;
    }

    private static float rowLogSum(float[] x, int off, int n, float max) {
        float[] e = new float[n];
        shifted(x, off, max, e, 0, n);
        EXP.exp(e, 0, e, 0, n);
        return (float) Math.log(sum(e, 0, n));
    }

    /** {@code y[yOff + i] = x[xOff + i] - shift}. */
    private static void shifted(float[] x, int xOff, float shift, float[] y, int yOff, int n) {
        FloatVector v = FloatVector.broadcast(S, shift);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, xOff + i).sub(v).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = x[xOff + i] - shift;
        }
    }

    private static float sum(float[] x, int off, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            acc = acc.add(FloatVector.fromArray(S, x, off + i));
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += x[off + i];
        }
        return sum;
    }
}
