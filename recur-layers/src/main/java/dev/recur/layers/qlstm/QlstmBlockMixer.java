package dev.recur.layers.qlstm;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.Params;
import dev.recur.layers.block.ProjectedCellMixer;
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
final class QlstmBlockMixer extends ProjectedCellMixer {
    private static final String STATE = "c";

    private final QlstmLayer layer;

    QlstmBlockMixer(MixerShape shape, Params p) {
        super(shape, STATE);
        int d = shape.dModel();
        QlstmConfig config = QlstmConfig.of(d, d);
        Map<String, Tensor> drawn = p.drawing() ? new QlstmLayer(config, p.rng()).parameters() : Map.of();
        Tensor weight = take(p, "weight", new int[] {d, 4 * d}, rng -> drawn.get("weight").detach());
        Tensor bias = take(p, "bias", new int[] {4 * d}, rng -> drawn.get("bias").detach());
        takeOutputProjection(p);
        this.layer = QlstmLayer.fromParameters(config, weight, bias);
    }

    @Override
    protected Tensor initialTensor(int batch) {
        return layer.initialState(batch).c();
    }

    @Override
    protected ScanOutput run(Tensor x, Tensor state) {
        QlstmOutput out = layer.forward(x, new QlstmState(state));
        return new ScanOutput(out.output(), out.state().c());
    }
}
