package dev.recur.layers.rhn;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.Params;
import dev.recur.layers.block.ProjectedCellMixer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code rhn}: a recurrent highway network (Zilly, Srivastava, Koutník and Schmidhuber 2017, "Recurrent Highway
 * Networks", eq. 6-8) of width d_model as a token mixer, followed by an output projection:
 * <pre>
 *   s_t = RHN(x_t, s_{t-1})      depth L highway micro-steps per token, coupled carry gate   [B, T, D]
 *   y_t = W_o s_t                                                                            [B, T, D]
 * </pre>
 * The projection carries the stack's residual factor (the RHN's own output is a tanh-bounded state that no
 * weight scales). Option: {@code depth} (L, default 2). Parameters: {@link RhnLayer}'s {@code input_weight
 * [D, 2D]}, {@code recurrent_weight.l [D, 2D]} and {@code bias.l [2D]} for each micro-step {@code l < L}
 * (transform biases start at -2), and {@code out_proj.weight [D, D]} ({@code U(+-1/sqrt(D))} times the residual
 * factor). State: {@code s [B, D]}, the last micro-step's output.
 */
final class RhnBlockMixer extends ProjectedCellMixer {
    private static final String STATE = "s";

    private final RhnLayer layer;

    RhnBlockMixer(MixerShape shape, Params p) {
        super(shape, STATE);
        int d = shape.dModel();
        RhnConfig config = RhnConfig.of(d, d, shape.positive("depth", 2));
        Map<String, Tensor> drawn = p.drawing() ? new RhnLayer(config, p.rng()).parameters() : Map.of();
        Map<String, Tensor> taken = new LinkedHashMap<>();
        RhnLayer.parameterShapes(config).forEach((name, dims) ->
                taken.put(name, take(p, name, dims, rng -> drawn.get(name).detach())));
        takeOutputProjection(p);
        this.layer = RhnLayer.fromParameters(config, taken);
    }

    @Override
    protected Tensor initialTensor(int batch) {
        return layer.initialState(batch).s();
    }

    @Override
    protected ScanOutput run(Tensor x, Tensor state) {
        RhnOutput out = layer.forward(x, new RhnState(state));
        return new ScanOutput(out.output(), out.state().s());
    }
}
