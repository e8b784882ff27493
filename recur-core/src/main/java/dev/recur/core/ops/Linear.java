package dev.recur.core.ops;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.gemm.Gemm;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * PyTorch's {@code nn.Linear} on a checkpoint's own weight layout: {@code y = x W^T + b} for {@code x [..., in]},
 * {@code weight [out, in]} and an optional {@code bias [out]}, without materialising {@code W^T} (the GEMM
 * reads the weight transposed, and a few rows, one token per stream while generating, as dot products over
 * the weight's rows). Derivatives: {@code dx = dy W}, {@code dW = dy^T x}, {@code db = sum_rows dy}.
 */
public final class Linear {
    private Linear() {}

    /** {@code x W^T}: {@code x [..., in]}, {@code weight [out, in]} -> {@code [..., out]}. */
    public static Tensor apply(Tensor x, Tensor weight) {
        return apply(x, weight, null);
    }

    /** {@code x W^T + b}; {@code bias [out]} may be null. */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias) {
        if (x.rank() < 1 || weight.rank() != 2 || x.dim(-1) != weight.dim(1)) {
            throw new RecurException("linear: expected x [..., in] and weight [out, in] with the same in, got x "
                    + Shapes.format(x.shape()) + " and weight " + Shapes.format(weight.shape()));
        }
        int in = weight.dim(1);
        int out = weight.dim(0);
        if (bias != null) {
            Shapes.require("linear", "bias [out]", new int[] {out}, bias.shape());
        }
        int rows = Shapes.product(x.shape(), 0, x.rank() - 1);
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        // [rows, out] = [rows, in] x [out, in]^T
        float[] y = new float[rows * out];
        Gemm.sgemm(false, true, rows, out, in, x.data(), 0, in, weight.data(), 0, in, y, 0, out, false);
        if (bias != null) {
            float[] b = bias.data();
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < out; j++) {
                    y[r * out + j] += b[j];
                }
            }
        }
        Tensor[] inputs = bias == null ? new Tensor[] {x, weight} : new Tensor[] {x, weight, bias};
        return Tensor.result("linear", y, shape, dy -> {
            float[] gx = x.gradBuffer();
            if (gx != null) {
                // [rows, in] += [rows, out] x [out, in]
                Gemm.sgemm(false, false, rows, in, out, dy, 0, out, weight.data(), 0, in, gx, 0, in, true);
            }
            float[] gw = weight.gradBuffer();
            if (gw != null) {
                // [out, in] += [rows, out]^T x [rows, in]
                Gemm.sgemm(true, false, out, in, rows, dy, 0, out, x.data(), 0, in, gw, 0, in, true);
            }
            float[] gb = bias == null ? null : bias.gradBuffer();
            if (gb != null) {
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < out; j++) {
                        gb[j] += dy[r * out + j];
                    }
                }
            }
        }, inputs);
    }
}
