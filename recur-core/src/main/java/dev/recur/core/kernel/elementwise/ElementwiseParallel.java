package dev.recur.core.kernel.elementwise;

import dev.recur.core.parallel.ComputePool;

/**
 * An {@link ElementwiseKernel} that cuts long slices into one chunk per thread of the shared {@link ComputePool}
 * and runs another kernel on each: elementwise loops are bound by memory bandwidth, which a second core nearly
 * doubles. Chunks start on multiples of {@link #ALIGN} elements, so each chunk's SIMD body and scalar tail cover
 * exactly the elements they would cover in one call: the result is the same bits whatever the thread count.
 * {@link #sum} and {@link #dot} reduce, so they stay on one thread (their order must not depend on the pool).
 */
final class ElementwiseParallel implements ElementwiseKernel {
    /** Below this many elements, a hand-off costs more than the second core saves. */
    static final int PARALLEL_ELEMENTS = 1 << 15;
    /** Chunk boundaries fall on multiples of this many elements (a multiple of every SIMD width). */
    static final int ALIGN = 64;

    private final ElementwiseKernel inner;

    ElementwiseParallel(ElementwiseKernel inner) {
        this.inner = inner;
    }

    /** Whether a slice of {@code n} elements stays on the calling thread. */
    private static boolean serial(int n) {
        return n < PARALLEL_ELEMENTS || ComputePool.shared().threads() == 1;
    }

    @Override
    public void binary(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        if (serial(n)) {
            inner.binary(op, a, aOff, b, bOff, y, yOff, n);
            return;
        }
        ComputePool.shared().forRanges(n, ALIGN, (s, e) ->
                inner.binary(op, a, aOff + s, b, bOff + s, y, yOff + s, e - s));
    }

    @Override
    public void binaryScalar(BinaryOp op, float[] a, int aOff, float s, float[] y, int yOff, int n) {
        if (serial(n)) {
            inner.binaryScalar(op, a, aOff, s, y, yOff, n);
            return;
        }
        ComputePool.shared().forRanges(n, ALIGN, (c, e) ->
                inner.binaryScalar(op, a, aOff + c, s, y, yOff + c, e - c));
    }

    @Override
    public void scalarBinary(BinaryOp op, float s, float[] b, int bOff, float[] y, int yOff, int n) {
        if (serial(n)) {
            inner.scalarBinary(op, s, b, bOff, y, yOff, n);
            return;
        }
        ComputePool.shared().forRanges(n, ALIGN, (c, e) ->
                inner.scalarBinary(op, s, b, bOff + c, y, yOff + c, e - c));
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        if (serial(n)) {
            inner.axpy(alpha, x, xOff, y, yOff, n);
            return;
        }
        ComputePool.shared().forRanges(n, ALIGN, (s, e) ->
                inner.axpy(alpha, x, xOff + s, y, yOff + s, e - s));
    }

    @Override
    public void mulAdd(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        if (serial(n)) {
            inner.mulAdd(a, aOff, b, bOff, y, yOff, n);
            return;
        }
        ComputePool.shared().forRanges(n, ALIGN, (s, e) ->
                inner.mulAdd(a, aOff + s, b, bOff + s, y, yOff + s, e - s));
    }

    @Override
    public float sum(float[] x, int off, int n) {
        return inner.sum(x, off, n);
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        return inner.dot(a, aOff, b, bOff, n);
    }

    @Override
    public void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        if (serial(n)) {
            inner.exp(x, xOff, y, yOff, n);
            return;
        }
        ComputePool.shared().forRanges(n, ALIGN, (s, e) ->
                inner.exp(x, xOff + s, y, yOff + s, e - s));
    }

    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        if (serial(n)) {
            inner.tanh(x, xOff, y, yOff, n);
            return;
        }
        ComputePool.shared().forRanges(n, ALIGN, (s, e) ->
                inner.tanh(x, xOff + s, y, yOff + s, e - s));
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        if (serial(n)) {
            inner.sigmoid(x, xOff, y, yOff, n);
            return;
        }
        ComputePool.shared().forRanges(n, ALIGN, (s, e) ->
                inner.sigmoid(x, xOff + s, y, yOff + s, e - s));
    }

    @Override
    public void silu(float[] x, int xOff, float[] y, int yOff, int n) {
        if (serial(n)) {
            inner.silu(x, xOff, y, yOff, n);
            return;
        }
        ComputePool.shared().forRanges(n, ALIGN, (s, e) ->
                inner.silu(x, xOff + s, y, yOff + s, e - s));
    }

    @Override
    public void tanhBackward(float[] g, int gOff, float[] y, int yOff, float[] dx, int dxOff, int n) {
        if (serial(n)) {
            inner.tanhBackward(g, gOff, y, yOff, dx, dxOff, n);
            return;
        }
        ComputePool.shared().forRanges(n, ALIGN, (s, e) ->
                inner.tanhBackward(g, gOff + s, y, yOff + s, dx, dxOff + s, e - s));
    }

    @Override
    public void sigmoidBackward(float[] g, int gOff, float[] y, int yOff, float[] dx, int dxOff, int n) {
        if (serial(n)) {
            inner.sigmoidBackward(g, gOff, y, yOff, dx, dxOff, n);
            return;
        }
        ComputePool.shared().forRanges(n, ALIGN, (s, e) ->
                inner.sigmoidBackward(g, gOff + s, y, yOff + s, dx, dxOff + s, e - s));
    }

    @Override
    public void siluBackward(float[] g, int gOff, float[] x, int xOff, float[] dx, int dxOff, int n) {
        if (serial(n)) {
            inner.siluBackward(g, gOff, x, xOff, dx, dxOff, n);
            return;
        }
        ComputePool.shared().forRanges(n, ALIGN, (s, e) ->
                inner.siluBackward(g, gOff + s, x, xOff + s, dx, dxOff + s, e - s));
    }
}
