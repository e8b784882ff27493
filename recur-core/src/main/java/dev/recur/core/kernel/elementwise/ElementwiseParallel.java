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

    /** Runs {@code body(start, length)} over {@code [0, n)}, split among the pool's threads when long. */
    private static void split(int n, ChunkBody body) {
        ComputePool pool = ComputePool.shared();
        int threads = pool.threads();
        if (n < PARALLEL_ELEMENTS || threads == 1) {
            body.run(0, n);
            return;
        }
        int chunk = (n / threads + ALIGN - 1) / ALIGN * ALIGN;
        int chunks = (n + chunk - 1) / chunk;
        pool.parallelFor(chunks, c -> {
            int start = c * chunk;
            body.run(start, Math.min(chunk, n - start));
        });
    }

    @FunctionalInterface
    private interface ChunkBody {
        void run(int start, int length);
    }

    @Override
    public void binary(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        split(n, (s, len) -> inner.binary(op, a, aOff + s, b, bOff + s, y, yOff + s, len));
    }

    @Override
    public void binaryScalar(BinaryOp op, float[] a, int aOff, float s, float[] y, int yOff, int n) {
        split(n, (c, len) -> inner.binaryScalar(op, a, aOff + c, s, y, yOff + c, len));
    }

    @Override
    public void scalarBinary(BinaryOp op, float s, float[] b, int bOff, float[] y, int yOff, int n) {
        split(n, (c, len) -> inner.scalarBinary(op, s, b, bOff + c, y, yOff + c, len));
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        split(n, (s, len) -> inner.axpy(alpha, x, xOff + s, y, yOff + s, len));
    }

    @Override
    public void mulAdd(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        split(n, (s, len) -> inner.mulAdd(a, aOff + s, b, bOff + s, y, yOff + s, len));
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
        split(n, (s, len) -> inner.exp(x, xOff + s, y, yOff + s, len));
    }

    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        split(n, (s, len) -> inner.tanh(x, xOff + s, y, yOff + s, len));
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        split(n, (s, len) -> inner.sigmoid(x, xOff + s, y, yOff + s, len));
    }

    @Override
    public void silu(float[] x, int xOff, float[] y, int yOff, int n) {
        split(n, (s, len) -> inner.silu(x, xOff + s, y, yOff + s, len));
    }

    @Override
    public void tanhBackward(float[] g, int gOff, float[] y, int yOff, float[] dx, int dxOff, int n) {
        split(n, (s, len) -> inner.tanhBackward(g, gOff + s, y, yOff + s, dx, dxOff + s, len));
    }

    @Override
    public void sigmoidBackward(float[] g, int gOff, float[] y, int yOff, float[] dx, int dxOff, int n) {
        split(n, (s, len) -> inner.sigmoidBackward(g, gOff + s, y, yOff + s, dx, dxOff + s, len));
    }

    @Override
    public void siluBackward(float[] g, int gOff, float[] x, int xOff, float[] dx, int dxOff, int n) {
        split(n, (s, len) -> inner.siluBackward(g, gOff + s, x, xOff + s, dx, dxOff + s, len));
    }
}
