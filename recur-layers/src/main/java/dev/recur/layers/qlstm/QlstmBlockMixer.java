package dev.recur.layers.qlstm;

import dev.recur.core.ops.Linear;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.block.AdapterMixer;
import dev.recur.layers.block.MixerOutput;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.block.Params;
import java.util.Map;

/**
 * {@code qlstm}: the quasi-LSTM of the Languini Kitchen (Stanić et al. 2023, "The Languini Kitchen", its
 * quasi-LSTM baseline) of width d_model as a token mixer, followed by the output projection that the paper's
 * multi-head block puts after the cell:
 * <pre>
 *   f, i, z, o = sigmoid(x W_f + b_f + 1), sigmoid(x W_i + b_i), tanh(x W_z + b_z), sigmoid(x W_o + b_o)
 *   c_t = f_t * c_{t-1} + i_t * z_t,  h_t = o_t * tanh(c_t)         (a diagonal scan over time)
 *   y_t = W_out h_t                                                [B, T, D]
 * </pre>
 * No options. Parameters: {@link QlstmLayer}'s {@code weight [D, 4D]} ({@code N(0, 0.02^2)}, gate blocks f, i,
 * z, o) and {@code bias [4D]} (zero), and {@code out_proj.weight [D, D]} ({@code U(+-1/sqrt(D))} times the
 * stack's residual factor). State: {@code c [B, D]}, the cell after the last token.
 */
final class QlstmBlockMixer extends AdapterMixer {
    private static final String STATE = "c";

    private final QlstmLayer layer;

    QlstmBlockMixer(MixerShape shape, Params p) {
        super(shape);
        int d = shape.dModel();
        QlstmConfig config = QlstmConfig.of(d, d);
        Map<String, Tensor> drawn = p.drawing() ? new QlstmLayer(config, p.rng()).parameters() : Map.of();
        Tensor weight = take(p, "weight", new int[] {d, 4 * d}, rng -> drawn.get("weight").detach());
        Tensor bias = take(p, "bias", new int[] {4 * d}, rng -> drawn.get("bias").detach());
        take(p, "out_proj.weight", new int[] {d, d}, Params.fanIn(d, d, shape.outScale()));
        this.layer = QlstmLayer.fromParameters(config, weight, bias);
    }

    @Override
    public MixerState initialState(int batch) {
        shape.requireBatch(batch);
        return MixerState.of(0, new String[] {STATE}, layer.initialState(batch).c());
    }

    @Override
    public MixerOutput forward(Tensor x, MixerState state) {
        shape.requireInput(x);
        MixerState s = state == null ? initialState(x.dim(0)) : state;
        QlstmState from = new QlstmState(shape.stateTensor(s, STATE, x.dim(0), shape.dModel()));
        QlstmOutput out = layer.forward(x, from);
        return new MixerOutput(Linear.apply(out.output(), param("out_proj.weight")),
                MixerState.of(s.position() + x.dim(1), new String[] {STATE}, out.state().c()));
    }
}
