package dev.recur.layers.ffn;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.gemm.Gemm;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * {@code y = x W^T} where {@code W} is a block of rows of one expert's matrix inside a stacked weight
 * {@code [E, R, in]} (transformers 5 stores all experts fused this way): rows {@code [from, from + out)} of expert
 * {@code e}. The block is read in place, with no copy, and its gradient lands in the same place of the stacked
 * weight's gradient. Derivatives: {@code dx = dy W}, {@code dW = dy^T x}.
 */
final class ExpertLinear {
    private ExpertLinear() {}

    static Tensor apply(Tensor x, Tensor stacked, int expert, int from, int out) {
        if (stacked.rank() != 3 || x.rank() < 1 || x.dim(-1) != stacked.dim(2)) {
            throw new RecurException("expertLinear: expected x [..., in] and stacked weight [E, R, in] with the same"
                    + " in, got x " + Shapes.format(x.shape()) + " and weight " + Shapes.format(stacked.shape()));
        }
        int experts = stacked.dim(0);
        int stackRows = stacked.dim(1);
        if (expert < 0 || expert >= experts || from < 0 || out < 1 || from + out > stackRows) {
            throw new RecurException("expertLinear: expert " + expert + " rows [" + from + ", " + (from + out)
                    + ") lie outside the stacked weight " + Shapes.format(stacked.shape()));
        }
        int in = stacked.dim(2);
        int rows = x.size() / in;
        int offset = (expert * stackRows + from) * in;
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        // [rows, out] = [rows, in] x [out, in]^T
        float[] y = new float[rows * out];
        Gemm.sgemm(false, true, rows, out, in, x.data(), 0, in, stacked.data(), offset, in, y, 0, out, false);
        return Tensor.result("expertLinear", y, shape, dy -> {
            float[] gx = x.gradBuffer();
            if (gx != null) {
                // [rows, in] += [rows, out] x [out, in]
                Gemm.sgemm(false, false, rows, in, out, dy, 0, out, stacked.data(), offset, in, gx, 0, in, true);
            }
            float[] gw = stacked.gradBuffer();
            if (gw != null) {
                // [out, in] block += [rows, out]^T x [rows, in]
                Gemm.sgemm(true, false, out, in, rows, dy, 0, out, x.data(), 0, in, gw, offset, in, true);
            }
        }, x, stacked);
    }
}
