package dev.recur.layers.griffin;

import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Norms;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.block.Mixer;
import dev.recur.layers.block.MixerOutput;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.ffn.GatedMlp;
import java.util.Map;

/**
 * Griffin's residual block: {@code r = x + Temporal(RMSNorm(x))}, then {@code r + MLP(RMSNorm(r))}, where the
 * temporal block is a {@link GriffinMixer} or local attention and the MLP the gated GELU MLP
 * {@code W_down(GELU(W_gate r') * W_up r')} (biases on all three). Both norms scale by {@code 1 + weight}, as
 * Gemma's RMSNorm does.
 */
final class ResidualLayer {
    /** An RMSNorm whose stored weight {@code w} scales by {@code 1 + w}. */
    record GemmaNorm(Tensor weight, float eps) {
        Tensor apply(Tensor x) {
            return Norms.rmsNorm(x, Arithmetic.add(weight, 1f), eps);
        }
    }

    private final GemmaNorm temporalNorm;
    private final Mixer temporal;
    private final GemmaNorm channelNorm;
    private final GatedMlp mlp;

    ResidualLayer(GemmaNorm temporalNorm, Mixer temporal, GemmaNorm channelNorm, GatedMlp mlp) {
        this.temporalNorm = temporalNorm;
        this.temporal = temporal;
        this.channelNorm = channelNorm;
        this.mlp = mlp;
    }

    /** Runs the layer whose state lies under {@code prefix} in {@code state}; its next state goes into {@code next}. */
    Tensor forward(Tensor x, String prefix, Map<String, Tensor> state, Map<String, Tensor> next, long start) {
        MixerOutput mixed = temporal.forward(temporalNorm.apply(x), MixerState.under(prefix, state, start));
        mixed.state().putUnder(prefix, next);
        Tensor residual = Arithmetic.add(mixed.output(), x);
        return Arithmetic.add(mlp.apply(channelNorm.apply(residual)), residual);
    }
}
