package dev.recur.core.kernel.elementwise;

/**
 * The hot inner loops of elementwise ops, on slices of float arrays: {@code n} elements starting at each
 * array's offset. Outputs may alias an input at the same offset (in place); other overlaps are not allowed.
 * Callers validate bounds; the kernels trust them.
 *
 * <p>Two implementations: {@link ElementwiseReference} (plain loops, the ground truth) and
 * {@link ElementwiseVector} (jdk.incubator.vector). They agree bit for bit on every method except {@link #sum}
 * and {@link #dot}, whose SIMD versions add in a different order.
 */
public interface ElementwiseKernel {
    /** {@code y[i] = a[i] op b[i]}. */
    void binary(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n);

    /** {@code y[i] = a[i] op s}. */
    void binaryScalar(BinaryOp op, float[] a, int aOff, float s, float[] y, int yOff, int n);

    /** {@code y[i] = s op b[i]}. */
    void scalarBinary(BinaryOp op, float s, float[] b, int bOff, float[] y, int yOff, int n);

    /** {@code y[i] = fma(alpha, x[i], y[i])}; with {@code alpha = 1} it accumulates a gradient. */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /** {@code y[i] = fma(a[i], b[i], y[i])}. */
    void mulAdd(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n);

    /** The sum of {@code x[off .. off+n)}. */
    float sum(float[] x, int off, int n);

    /** {@code sum_i a[i] * b[i]}. */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /** {@code y[i] = exp(x[i])}, by {@link FloatMath#exp}. */
    void exp(float[] x, int xOff, float[] y, int yOff, int n);

    /** {@code y[i] = tanh(x[i])}, by {@link FloatMath#tanh}. */
    void tanh(float[] x, int xOff, float[] y, int yOff, int n);

    /** {@code y[i] = sigmoid(x[i])}, by {@link FloatMath#sigmoid}. */
    void sigmoid(float[] x, int xOff, float[] y, int yOff, int n);

    /** {@code y[i] = silu(x[i])}, by {@link FloatMath#silu}. */
    void silu(float[] x, int xOff, float[] y, int yOff, int n);

    /** Tanh backward from its output: {@code dx[i] = fma(g[i], fma(-y[i], y[i], 1), dx[i])}. */
    void tanhBackward(float[] g, int gOff, float[] y, int yOff, float[] dx, int dxOff, int n);

    /** Sigmoid backward from its output: {@code dx[i] = fma(g[i], y[i] * (1 - y[i]), dx[i])}. */
    void sigmoidBackward(float[] g, int gOff, float[] y, int yOff, float[] dx, int dxOff, int n);

    /**
     * SiLU backward from its input: with {@code s = sigmoid(x)},
     * {@code dx[i] = fma(g[i], s * fma(x[i], 1 - s, 1), dx[i])}.
     */
    void siluBackward(float[] g, int gOff, float[] x, int xOff, float[] dx, int dxOff, int n);
}
