package dev.recur.core.ops;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.gemm.Gemm;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.util.Arrays;

/**
 * Batched matrix products over equal leading axes: {@code c[i] = op(a[i]) * op(b[i])}, where {@code op} is
 * the identity or, with the transpose flags, the transpose of the stored matrix. With {@code X = op(A)},
 * {@code Y = op(B)}: {@code dX = dC * Y^T}, {@code dY = X^T * dC}, transposed back to the stored layout.
 */
public final class BatchedMatmul {
    private BatchedMatmul() {}

    /** {@code a [..., m, k]} times {@code b [..., k, n]} -> {@code [..., m, n]}. */
    public static Tensor bmm(Tensor a, Tensor b) {
        return bmm(a, b, false, false);
    }

    /**
     * {@code op(a) [..., m, k]} times {@code op(b) [..., k, n]} -> {@code [..., m, n]}; a transposed operand is
     * stored as {@code a [..., k, m]} or {@code b [..., n, k]}.
     */
    public static Tensor bmm(Tensor a, Tensor b, boolean transA, boolean transB) {
        if (a.rank() < 2 || a.rank() != b.rank()) {
            throw new RecurException("bmm: expected a and b of equal rank >= 2, got a " + Shapes.format(a.shape())
                    + " and b " + Shapes.format(b.shape()));
        }
        int r = a.rank();
        int[] as = a.shape();
        int[] bs = b.shape();
        if (!Arrays.equals(Arrays.copyOf(as, r - 2), Arrays.copyOf(bs, r - 2))) {
            throw new RecurException("bmm: leading axes differ: a " + Shapes.format(as) + ", b " + Shapes.format(bs));
        }
        int m = transA ? as[r - 1] : as[r - 2];
        int k = transA ? as[r - 2] : as[r - 1];
        int kb = transB ? bs[r - 1] : bs[r - 2];
        int n = transB ? bs[r - 2] : bs[r - 1];
        if (k != kb) {
            throw new RecurException("bmm: inner sizes differ: a " + Shapes.format(as) + (transA ? " (transposed)" : "")
                    + " has k=" + k + ", b " + Shapes.format(bs) + (transB ? " (transposed)" : "") + " has k=" + kb);
        }
        int batch = Shapes.product(as, 0, r - 2);
        int[] outShape = as.clone();
        outShape[r - 2] = m;
        outShape[r - 1] = n;
        int lda = as[r - 1];
        int ldb = bs[r - 1];
        int sa = m * k;
        int sb = k * n;
        int sc = m * n;
        float[] c = new float[batch * sc];
        for (int i = 0; i < batch; i++) {
            Gemm.sgemm(transA, transB, m, n, k, a.data(), i * sa, lda, b.data(), i * sb, ldb, c, i * sc, n, false);
        }
        return Tensor.result("bmm", c, outShape, dc -> {
            float[] ga = a.gradBuffer();
            float[] gb = b.gradBuffer();
            for (int i = 0; i < batch; i++) {
                if (ga != null) {
                    if (transA) {
                        // dA = dX^T = op(B) * dC^T: [k, m]
                        Gemm.sgemm(transB, true, k, m, n, b.data(), i * sb, ldb, dc, i * sc, n, ga, i * sa, lda, true);
                    } else {
                        // dA = dC * op(B)^T: [m, k]
                        Gemm.sgemm(false, !transB, m, k, n, dc, i * sc, n, b.data(), i * sb, ldb, ga, i * sa, lda,
                                true);
                    }
                }
                if (gb != null) {
                    if (transB) {
                        // dB = dY^T = dC^T * op(A): [n, k]
                        Gemm.sgemm(true, transA, n, k, m, dc, i * sc, n, a.data(), i * sa, lda, gb, i * sb, ldb, true);
                    } else {
                        // dB = op(A)^T * dC: [k, n]
                        Gemm.sgemm(!transA, false, k, n, m, a.data(), i * sa, lda, dc, i * sc, n, gb, i * sb, ldb,
                                true);
                    }
                }
            }
        }, a, b);
    }
}
