package dev.recur.layers.griffin;

import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Norms;
import dev.recur.core.tensor.Tensor;
import java.util.Map;

/**
 * Griffin's residual block: {@code r = x + Temporal(RMSNorm(x))}, then {@code r + MLP(RMSNorm(r))}, with the
 * gated MLP {@code W_down(GELU(W_gate r') * W_up r')} (biases on all three). Both norms scale by
 * {@code 1 + weight}, as Gemma's RMSNorm does.
 */
final class ResidualLayer {
    /** An RMSNorm whose stored weight {@code w} scales by {@code 1 + w}. */
    record GemmaNorm(Tensor weight, float eps) {
        Tensor apply(Tensor x) {
            return Norms.rmsNorm(x, Arithmetic.add(weight, 1f), eps);
        }
    }

    private final GemmaNorm temporalNorm;
    private final TemporalBlock temporal;
    private final GemmaNorm channelNorm;
    private final Projection gate;
    private final Projection up;
    private final Projection down;
    private final boolean exactGelu;

    ResidualLayer(GemmaNorm temporalNorm, TemporalBlock temporal, GemmaNorm channelNorm, Projection gate,
                  Projection up, Projection down, boolean exactGelu) {
        this.temporalNorm = temporalNorm;
        this.temporal = temporal;
        this.channelNorm = channelNorm;
        this.gate = gate;
        this.up = up;
        this.down = down;
        this.exactGelu = exactGelu;
    }

    Tensor forward(Tensor x, Map<String, Tensor> state, Map<String, Tensor> next, long start) {
        Tensor residual = Arithmetic.add(temporal.forward(temporalNorm.apply(x), state, next, start), x);
        Tensor h = channelNorm.apply(residual);
        Tensor mlp = down.apply(Arithmetic.mul(Activations.gelu(gate.apply(h), exactGelu ? "none" : "tanh"), up.apply(h)));
        return Arithmetic.add(mlp, residual);
    }
}
