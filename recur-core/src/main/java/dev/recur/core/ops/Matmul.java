package dev.recur.core.ops;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.gemm.Gemm;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * Matrix products. {@code matmul(a, b)}: {@code [..., m, k] x [k, n] -> [..., m, n]} (a weight shared across
 * leading axes, the common layer case). Derivatives: {@code dA = dY * B^T}, {@code dB = A^T * dY}.
 */
public final class Matmul {
    private Matmul() {}

    public static Tensor matmul(Tensor a, Tensor b) {
        if (a.rank() < 1 || b.rank() != 2) {
            throw new RecurException("matmul: expected a [..., m, k] and b [k, n], got a " + Shapes.format(a.shape())
                    + " and b " + Shapes.format(b.shape()));
        }
        int k = a.dim(-1);
        if (b.dim(0) != k) {
            throw new RecurException("matmul: inner sizes differ: a " + Shapes.format(a.shape()) + " has k=" + k
                    + ", b " + Shapes.format(b.shape()) + " has k=" + b.dim(0));
        }
        int n = b.dim(1);
        int m = Shapes.product(a.shape(), 0, a.rank() - 1);
        int[] outShape = a.shape();
        outShape[outShape.length - 1] = n;
        float[] y = new float[m * n];
        Gemm.sgemm(false, false, m, n, k, a.data(), 0, k, b.data(), 0, n, y, 0, n, false);
        final int rows = m;
        return Tensor.result("matmul", y, outShape, dy -> {
            float[] ga = a.gradBuffer();
            if (ga != null) {
                Gemm.sgemm(false, true, rows, k, n, dy, 0, n, b.data(), 0, n, ga, 0, k, true);
            }
            float[] gb = b.gradBuffer();
            if (gb != null) {
                Gemm.sgemm(true, false, k, n, rows, a.data(), 0, k, dy, 0, n, gb, 0, n, true);
            }
        }, a, b);
    }
}
