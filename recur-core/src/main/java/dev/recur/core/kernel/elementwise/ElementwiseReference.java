package dev.recur.core.kernel.elementwise;

/** Plain scalar loops: the ground truth for {@link ElementwiseVector}. */
public final class ElementwiseReference implements ElementwiseKernel {
    @Override
    public void binary(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = op.apply(a[aOff + i], b[bOff + i]);
        }
    }

    @Override
    public void binaryScalar(BinaryOp op, float[] a, int aOff, float s, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = op.apply(a[aOff + i], s);
        }
    }

    @Override
    public void scalarBinary(BinaryOp op, float s, float[] b, int bOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = op.apply(s, b[bOff + i]);
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
        }
    }

    @Override
    public void mulAdd(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = Math.fma(a[aOff + i], b[bOff + i], y[yOff + i]);
        }
    }

    @Override
    public float sum(float[] x, int off, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += x[off + i];
        }
        return s;
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s = Math.fma(a[aOff + i], b[bOff + i], s);
        }
        return s;
    }

    @Override
    public void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = FloatMath.exp(x[xOff + i]);
        }
    }

    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = FloatMath.tanh(x[xOff + i]);
        }
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = FloatMath.sigmoid(x[xOff + i]);
        }
    }

    @Override
    public void silu(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = FloatMath.silu(x[xOff + i]);
        }
    }

    @Override
    public void tanhBackward(float[] g, int gOff, float[] y, int yOff, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            float yi = y[yOff + i];
            dx[dxOff + i] = Math.fma(g[gOff + i], Math.fma(-yi, yi, 1f), dx[dxOff + i]);
        }
    }

    @Override
    public void sigmoidBackward(float[] g, int gOff, float[] y, int yOff, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            float yi = y[yOff + i];
            dx[dxOff + i] = Math.fma(g[gOff + i], yi * (1f - yi), dx[dxOff + i]);
        }
    }

    @Override
    public void siluBackward(float[] g, int gOff, float[] x, int xOff, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            float xi = x[xOff + i];
            float s = FloatMath.sigmoid(xi);
            dx[dxOff + i] = Math.fma(g[gOff + i], s * Math.fma(xi, 1f - s, 1f), dx[dxOff + i]);
        }
    }
}
