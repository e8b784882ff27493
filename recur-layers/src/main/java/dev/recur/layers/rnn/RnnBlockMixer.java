package dev.recur.layers.rnn;

import dev.recur.layers.block.AdapterMixer;
import dev.recur.layers.block.MixerOutput;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.block.Params;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code lstm}, {@code gru} and {@code elman}: one {@link RnnLayer} of width d_model (PyTorch's cells, parameter
 * names and initialisation {@code U(+-1/sqrt(hidden))}) as a token mixer; {@code elman} is the tanh Elman RNN
 * (Elman 1990, "Finding Structure in Time"), {@code h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)}. No
 * options. Parameters: PyTorch's {@code weight_ih_l0}, {@code weight_hh_l0}, {@code bias_ih_l0},
 * {@code bias_hh_l0}. State: {@code h [1, B, D]}, and for the LSTM {@code c [1, B, D]}.
 */
final class RnnBlockMixer extends AdapterMixer {
    private final RnnConfig config;
    private final RnnLayer layer;

    RnnBlockMixer(MixerShape shape, Params p, CellType cell) {
        super(shape);
        int d = shape.dModel();
        this.config = RnnConfig.rnn(d, d).withCell(cell);
        boolean drawing = p.drawing();
        // The layer owns its leaves: a fresh one keeps its drawn values, a loaded one gets the checkpoint's copied in.
        this.layer = new RnnLayer(config, drawing ? p.rng() : new Rng(0));
        Map<String, Tensor> taken = new LinkedHashMap<>();
        for (String name : config.parameterNames()) {
            taken.put(name, take(p, name, config.parameterShape(name), rng -> layer.parameter(name)));
        }
        if (!drawing) {
            layer.loadStateDict(taken);
        }
    }

    /** The layer's own leaves (a loaded checkpoint's values were copied into them). */
    @Override
    public Map<String, Tensor> parameters() {
        return layer.parameters();
    }

    @Override
    public MixerState initialState(int batch) {
        shape.requireBatch(batch);
        return of(layer.initialState(batch), 0);
    }

    @Override
    public MixerOutput forward(Tensor x, MixerState state) {
        shape.requireInput(x);
        int batch = x.dim(0);
        MixerState s = state == null ? initialState(batch) : state;
        int[] stateShape = {1, batch, shape.dModel()};
        Tensor h = shape.stateTensor(s, "h", stateShape);
        Tensor c = config.cell().hasCellState() ? shape.stateTensor(s, "c", stateShape) : null;
        RnnOutput out = layer.forward(x, new RnnState(h, c));
        return new MixerOutput(out.output(), of(out.state(), s.position() + x.dim(1)));
    }

    private MixerState of(RnnState s, long position) {
        return s.c() == null ? MixerState.of(position, new String[] {"h"}, s.h())
                : MixerState.of(position, new String[] {"h", "c"}, s.h(), s.c());
    }
}
