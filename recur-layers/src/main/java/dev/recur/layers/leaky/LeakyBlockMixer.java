package dev.recur.layers.leaky;

import dev.recur.core.RecurException;
import dev.recur.core.scan.ScanOutput;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.Params;
import dev.recur.layers.block.ProjectedCellMixer;
import java.util.Map;

/**
 * {@code leaky}: a leaky (continuous-time, Euler-stepped) tanh RNN of width d_model with a learned time constant
 * per neuron (Khajehabdollahi et al. 2023, "Emergent mechanisms for long timescales depend on training curriculum
 * and affect performance in memory tasks"), followed by an output projection:
 * <pre>
 *   h_t = (1 - 1/tau) h_{t-1} + (1/tau) tanh(h_{t-1} W + x_t U + b),   tau = 1 + softplus(tau_raw)
 *   y_t = W_o h_t                                                                        [B, T, D]
 * </pre>
 * The projection carries the stack's residual factor. Option: {@code tau} (every neuron's initial time constant,
 * an integer >= 2, default 2). Parameters: {@link LeakyRnnLayer}'s {@code input_weight [D, D]},
 * {@code recurrent_weight [D, D]} ({@code U(+-1/sqrt(D))}), {@code bias [D]} (zero), {@code tau_raw [D]}
 * ({@code softplus^-1(tau - 1)}), and {@code out_proj.weight [D, D]} ({@code U(+-1/sqrt(D))} times the residual
 * factor). State: {@code h [B, D]}.
 */
final class LeakyBlockMixer extends ProjectedCellMixer {
    private static final String STATE = "h";

    private final LeakyRnnLayer layer;

    LeakyBlockMixer(MixerShape shape, Params p) {
        super(shape, STATE);
        int d = shape.dModel();
        int tau = shape.spec().option("tau", 2);
        if (tau < 2) {
            throw new RecurException("stack block '" + shape.spec() + "': tau must be >= 2 (a time constant above 1),"
                    + " got " + tau);
        }
        LeakyRnnConfig config = LeakyRnnConfig.of(d, d).withInitialTau(tau);
        Map<String, Tensor> drawn = p.drawing() ? new LeakyRnnLayer(config, p.rng()).parameters() : Map.of();
        Tensor[] taken = new Tensor[4];
        String[] names = {"input_weight", "recurrent_weight", "bias", "tau_raw"};
        int[][] dims = {{d, d}, {d, d}, {d}, {d}};
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            taken[i] = take(p, name, dims[i], rng -> drawn.get(name).detach());
        }
        takeOutputProjection(p);
        this.layer = LeakyRnnLayer.fromParameters(config, taken[0], taken[1], taken[2], taken[3]);
    }

    @Override
    protected Tensor initialTensor(int batch) {
        return layer.initialState(batch).h();
    }

    @Override
    protected ScanOutput run(Tensor x, Tensor state) {
        LeakyRnnOutput out = layer.forward(x, new LeakyRnnState(state));
        return new ScanOutput(out.output(), out.state().h());
    }
}
