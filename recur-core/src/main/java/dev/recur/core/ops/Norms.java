package dev.recur.core.ops;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.rows.NormRows;
import dev.recur.core.kernel.rows.RowKernels;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Normalisations over the last axis, with PyTorch's semantics. RMSNorm (Zhang and Sennrich, 2019):
 * {@code y = x / sqrt(mean(x^2) + eps) * weight}. LayerNorm (Ba et al., 2016):
 * {@code y = (x - mean) / sqrt(var + eps) * weight + bias} with the biased variance. The per-row {@code mean}
 * and {@code rstd} of the forward are saved for the backward. Weight and bias may be null (no affine part).
 */
public final class Norms {
    private Norms() {}

    /** RMSNorm of {@code x [..., d]} with an optional {@code weight [d]}. */
    public static Tensor rmsNorm(Tensor x, Tensor weight, float eps) {
        int n = checkInput("rmsNorm", x, eps);
        checkParam("rmsNorm", "weight", weight, n);
        int rows = x.size() / Math.max(n, 1);
        float[] w = weight == null ? null : weight.data();
        float[] y = new float[x.size()];
        float[] rstd = new float[rows];
        NormRows kernel = RowKernels.norm();
        kernel.rmsNorm(x.data(), w, y, rstd, rows, n, eps);
        return Tensor.result("rmsNorm", y, x.shape(), dy -> kernel.rmsNormBackward(x.data(), w, rstd, dy,
                x.gradBuffer(), weight == null ? null : weight.gradBuffer(), rows, n), inputs(x, weight, null));
    }

    /** LayerNorm of {@code x [..., d]} with an optional {@code weight [d]} and {@code bias [d]}. */
    public static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
        int n = checkInput("layerNorm", x, eps);
        checkParam("layerNorm", "weight", weight, n);
        checkParam("layerNorm", "bias", bias, n);
        int rows = x.size() / Math.max(n, 1);
        float[] w = weight == null ? null : weight.data();
        float[] b = bias == null ? null : bias.data();
        float[] y = new float[x.size()];
        float[] mean = new float[rows];
        float[] rstd = new float[rows];
        NormRows kernel = RowKernels.norm();
        kernel.layerNorm(x.data(), w, b, y, mean, rstd, rows, n, eps);
        return Tensor.result("layerNorm", y, x.shape(), dy -> kernel.layerNormBackward(x.data(), w, mean, rstd, dy,
                x.gradBuffer(), weight == null ? null : weight.gradBuffer(), bias == null ? null : bias.gradBuffer(),
                rows, n), inputs(x, weight, bias));
    }

    private static int checkInput(String op, Tensor x, float eps) {
        if (x.rank() == 0 || x.dim(-1) == 0) {
            throw new RecurException(op + ": expected x [..., d] with d >= 1, got shape " + Shapes.format(x.shape()));
        }
        if (!(eps >= 0f) || Float.isInfinite(eps)) {
            throw new RecurException(op + ": expected a finite eps >= 0, got " + eps);
        }
        return x.dim(-1);
    }

    private static void checkParam(String op, String what, Tensor p, int n) {
        if (p != null) {
            Shapes.require(op, what, new int[] {n}, p.shape());
        }
    }

    private static Tensor[] inputs(Tensor x, Tensor weight, Tensor bias) {
        List<Tensor> list = new ArrayList<>(3);
        list.add(x);
        if (weight != null) {
            list.add(weight);
        }
        if (bias != null) {
            list.add(bias);
        }
        return list.toArray(new Tensor[0]);
    }
}
