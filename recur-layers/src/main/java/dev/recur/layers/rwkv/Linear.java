package dev.recur.layers.rwkv;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.gemm.Gemm;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * A bias-free linear layer with a PyTorch weight {@code [out, in]}: {@code y = x W^T}, read in place (no
 * transposed copy, which for an output head would cost as much as the product at one token per call).
 * Derivatives: {@code dx = dy W}, {@code dW = dy^T x}.
 */
public final class Linear {
    private Linear() {}

    /** {@code x [..., in]} times {@code weight [out, in]} transposed: {@code [..., out]}. */
    public static Tensor apply(Tensor x, Tensor weight) {
        if (weight.rank() != 2 || x.rank() < 1 || x.dim(-1) != weight.dim(1)) {
            throw new RecurException("linear: expected x [..., in] and weight [out, in], got x "
                    + Shapes.format(x.shape()) + " and weight " + Shapes.format(weight.shape()));
        }
        int in = weight.dim(1);
        int out = weight.dim(0);
        int rows = Shapes.product(x.shape(), 0, x.rank() - 1);
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        float[] y = new float[rows * out]; // [rows, out]
        Gemm.sgemm(false, true, rows, out, in, x.data(), 0, in, weight.data(), 0, in, y, 0, out, false);
        return Tensor.result("linear", y, shape, dy -> {
            float[] gx = x.gradBuffer();
            if (gx != null) {
                Gemm.sgemm(false, false, rows, in, out, dy, 0, out, weight.data(), 0, in, gx, 0, in, true);
            }
            float[] gw = weight.gradBuffer();
            if (gw != null) {
                Gemm.sgemm(true, false, out, in, rows, dy, 0, out, x.data(), 0, in, gw, 0, in, true);
            }
        }, x, weight);
    }
}
