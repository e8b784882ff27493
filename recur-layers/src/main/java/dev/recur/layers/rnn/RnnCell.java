package dev.recur.layers.rnn;

import dev.recur.core.RecurException;
import dev.recur.core.io.TensorFile;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A single recurrent cell that computes exactly what PyTorch's {@code nn.RNNCell} (tanh or ReLU),
 * {@code nn.LSTMCell} and {@code nn.GRUCell} compute for one step, with their parameter names and shapes
 * ({@code weight_ih [G*H, I]}, {@code weight_hh [G*H, H]}, {@code bias_ih [G*H]}, {@code bias_hh [G*H]}, no
 * {@code _l0} suffix) and their initialisation, {@code U(-1/sqrt(H), 1/sqrt(H))} drawn in that order. The equations
 * are {@link RnnLayer}'s: a step is a one-layer {@link RnnLayer}'s step on the same tensors, so the fused kernels
 * and their hand-written backward serve the cell too, and a loop of steps is differentiable end to end.
 */
public final class RnnCell {
    private final RnnCellConfig config;
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final RnnLayer layer;

    /** A cell with PyTorch's default initialisation, every parameter drawn in state_dict order from {@code rng}. */
    public RnnCell(RnnCellConfig config, Rng rng) {
        if (config == null || rng == null) {
            throw new RecurException("RnnCell: config and rng are required");
        }
        this.config = config;
        float bound = (float) (1.0 / Math.sqrt(config.hiddenSize()));
        Map<String, Tensor> layerParams = new LinkedHashMap<>();
        for (String name : config.parameterNames()) {
            Tensor t = Tensor.uniform(rng, -bound, bound, config.parameterShape(name)).requiresGrad(true);
            params.put(name, t);
            layerParams.put(name + "_l0", t);
        }
        this.layer = RnnLayer.sharing(config.layerConfig(), layerParams);
    }

    public RnnCellConfig config() {
        return config;
    }

    /** The parameters under PyTorch's state_dict names, in its order. */
    public Map<String, Tensor> parameters() {
        return Collections.unmodifiableMap(params);
    }

    /** One parameter by its PyTorch name. */
    public Tensor parameter(String name) {
        Tensor t = params.get(name);
        if (t == null) {
            throw new RecurException(label() + ": no parameter '" + name + "'; expected one of " + params.keySet());
        }
        return t;
    }

    /**
     * Copies PyTorch state_dict tensors into this cell's parameters, after checking that every expected name is
     * present with its shape and that no other name is.
     */
    public void loadStateDict(Map<String, Tensor> tensors) {
        StateDict.load(label(), params, tensors);
    }

    /**
     * Loads PyTorch state_dict tensors from a tensor file (safetensors or {@code torch.save}); errors name the
     * file, the tensor and both shapes.
     */
    public void loadStateDict(TensorFile file) {
        StateDict.load(label(), params, file);
    }

    /** Writes the parameters under their PyTorch names as F32 safetensors. */
    public void saveStateDict(Path path) throws IOException {
        StateDict.save(params, path);
    }

    /** A zero state for {@code batch} rows. */
    public RnnCellState zeroState(int batch) {
        if (batch <= 0) {
            throw new RecurException(label() + ".zeroState: batch must be positive, got " + batch);
        }
        int[] shape = {batch, config.hiddenSize()};
        return new RnnCellState(Tensor.zeros(shape), config.cell().hasCellState() ? Tensor.zeros(shape) : null);
    }

    /**
     * One step: {@code x [B, I]} from {@code state} (null for zeros) to the next state, whose {@code h} is the
     * cell's output ({@code h'}, and {@code c'} for the LSTM cell).
     */
    public RnnCellState step(Tensor x, RnnCellState state) {
        if (x == null || x.rank() != 2 || x.dim(1) != config.inputSize() || x.dim(0) == 0) {
            throw new RecurException(label() + ".step: expected input [batch, " + config.inputSize()
                    + "] with batch > 0, got " + (x == null ? "null" : Shapes.format(x.shape())));
        }
        int batch = x.dim(0);
        RnnCellState from = state == null ? zeroState(batch) : state;
        Shapes.require(label() + ".step", "state h", new int[] {batch, config.hiddenSize()}, from.h().shape());
        boolean lstm = config.cell().hasCellState();
        if (lstm && from.c() == null) {
            throw new RecurException(label() + ".step: the state needs a cell tensor c [" + batch + ", "
                    + config.hiddenSize() + "], got none");
        }
        if (!lstm && from.c() != null) {
            throw new RecurException(label() + ".step: the state has a cell tensor c, but a "
                    + config.cell().torchCellModule() + " has none");
        }
        RnnState stacked = new RnnState(Reshaping.unsqueeze(from.h(), 0),
                lstm ? Reshaping.unsqueeze(from.c(), 0) : null);
        RnnState next = layer.step(x, stacked).state();
        return new RnnCellState(Reshaping.squeeze(next.h(), 0), lstm ? Reshaping.squeeze(next.c(), 0) : null);
    }

    private String label() {
        return config.cell().torchCellModule() + "(" + config.inputSize() + ", " + config.hiddenSize() + ")";
    }
}
