package dev.recur.layers.ssm.lbmamba;

import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Linear;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * One Mamba mixer of an encoder: {@code in_proj -> (x, z)}; the selective branch over x (see
 * {@link SelectiveBranch}): forward only, forward with LBMamba's local backward scan, or (global form) plus a
 * second branch with its own parameters over the time-reversed x, reversed back and added, as Vision Mamba's
 * bi-directional block; then {@code y * silu(z)} and {@code out_proj}.
 */
final class LbMambaMixer {
    private final LbMambaConfig config;
    final Tensor inProj;            // [2 * D_inner, H]
    final SelectiveBranch forward;
    final SelectiveBranch backward; // null unless GLOBAL
    final Tensor outProj;           // [H, D_inner]

    LbMambaMixer(LbMambaConfig config, int numLayers, Rng rng) {
        this.config = config;
        int h = config.hiddenSize();
        int inner = config.intermediateSize();
        float inBound = (float) (1 / Math.sqrt(h));
        this.inProj = Tensor.uniform(rng.split(), -inBound, inBound, 2 * inner, h).requiresGrad(true);
        this.forward = new SelectiveBranch(config, rng.split());
        this.backward = config.directions() == ScanDirections.GLOBAL ? new SelectiveBranch(config, rng.split()) : null;
        // Residual branches scaled down with depth, as GPT-2 and Mamba's out_proj rescaling.
        float outBound = (float) (1 / Math.sqrt(inner) / Math.sqrt(2.0 * numLayers));
        this.outProj = Tensor.uniform(rng.split(), -outBound, outBound, h, inner).requiresGrad(true);
    }

    /** {@code hidden [B, T, H]} -> {@code [B, T, H]}. */
    Tensor forward(Tensor hidden) {
        int inner = config.intermediateSize();
        List<Tensor> xz = Reshaping.split(Linear.apply(hidden, inProj, null), -1, inner, inner);
        Tensor x = xz.get(0);                                                   // [B, T, D_inner]
        Tensor y = forward.apply(x, config.directions() == ScanDirections.LOCAL ? config.window() : 0);
        if (backward != null) {
            y = Arithmetic.add(y, Reshaping.flip(backward.apply(Reshaping.flip(x, 1), 0), 1));
        }
        Tensor gated = Arithmetic.mul(y, Activations.silu(xz.get(1)));
        return Linear.apply(gated, outProj, null);
    }

    void collect(String prefix, Map<String, Tensor> into) {
        into.put(prefix + "in_proj.weight", inProj);
        forward.collect(prefix + (backward == null ? "" : "fwd."), into);
        if (backward != null) {
            backward.collect(prefix + "bwd.", into);
        }
        into.put(prefix + "out_proj.weight", outProj);
    }
}
