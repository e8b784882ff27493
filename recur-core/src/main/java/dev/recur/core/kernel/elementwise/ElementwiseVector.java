package dev.recur.core.kernel.elementwise;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD elementwise kernels (jdk.incubator.vector, the platform's preferred width). Each loop runs whole vectors
 * and finishes the tail with the scalar formula of {@link ElementwiseReference}, so results match it bit for
 * bit, except {@link #sum} and {@link #dot} (lane-wise partial sums, added in a different order).
 *
 * <p>The transcendental loops live in {@link TranscendentalVector}.
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

    @Override
    public void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        TranscendentalVector.exp(x, xOff, y, yOff, n);
    }

    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        TranscendentalVector.tanh(x, xOff, y, yOff, n);
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        TranscendentalVector.sigmoid(x, xOff, y, yOff, n);
    }

    @Override
    public void silu(float[] x, int xOff, float[] y, int yOff, int n) {
        TranscendentalVector.silu(x, xOff, y, yOff, n);
    }

    @Override
    public void tanhBackward(float[] g, int gOff, float[] y, int yOff, float[] dx, int dxOff, int n) {
        TranscendentalVector.tanhBackward(g, gOff, y, yOff, dx, dxOff, n);
    }

    @Override
    public void sigmoidBackward(float[] g, int gOff, float[] y, int yOff, float[] dx, int dxOff, int n) {
        TranscendentalVector.sigmoidBackward(g, gOff, y, yOff, dx, dxOff, n);
    }

    @Override
    public void siluBackward(float[] g, int gOff, float[] x, int xOff, float[] dx, int dxOff, int n) {
        TranscendentalVector.siluBackward(g, gOff, x, xOff, dx, dxOff, n);
    }
}
