package dev.recur.layers.ssm.mamba2;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Norms;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * The gated RMSNorm that ends a Mamba-2 mixer, gate first ({@code norm_before_gate = False}):
 * {@code y = weight * rmsNorm(x * silu(z))}, the mean of squares taken over groups of {@code groupSize}
 * consecutive channels. transformers' {@code Mamba2ForCausalLM} normalises over the whole width (one group,
 * whatever {@code n_groups} is); the fused CUDA kernel of the original implementation and hybrids such as Bamba
 * use one group per {@code n_groups}. Built from differentiable ops, so its gradients come from theirs.
 */
final class GatedRmsNorm {
    private GatedRmsNorm() {}

    /** {@code x}, {@code gate} {@code [..., D]}, {@code weight [D]}, {@code D} a multiple of {@code groupSize}. */
    static Tensor apply(Tensor x, Tensor gate, Tensor weight, int groupSize, float eps) {
        Shapes.require("gatedRmsNorm", "gate (same as x)", x.shape(), gate.shape());
        int width = x.dim(-1);
        if (groupSize <= 0 || width % groupSize != 0) {
            throw new RecurException("gatedRmsNorm: group size must divide the width " + width + ", got "
                    + groupSize);
        }
        Tensor gated = Arithmetic.mul(x, Activations.silu(gate));
        if (groupSize == width) {
            return Norms.rmsNorm(gated, weight, eps);
        }
        int[] grouped = new int[x.rank() + 1];
        System.arraycopy(x.shape(), 0, grouped, 0, x.rank() - 1);
        grouped[x.rank() - 1] = width / groupSize;
        grouped[x.rank()] = groupSize;
        Tensor normed = Norms.rmsNorm(Reshaping.reshape(gated, grouped), null, eps);
        return Arithmetic.mul(weight, Reshaping.reshape(normed, x.shape()));
    }
}
