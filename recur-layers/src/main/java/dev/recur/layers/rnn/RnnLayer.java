package dev.recur.layers.rnn;

import dev.recur.core.RecurException;
import dev.recur.core.io.TensorFile;
import dev.recur.core.kernel.KernelMode;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A multi-layer, optionally bidirectional Elman RNN, LSTM or GRU that computes exactly what PyTorch's
 * {@code nn.RNN}, {@code nn.LSTM} and {@code nn.GRU} compute, with the same parameter names and shapes
 * ({@code weight_ih_l0 [G*H, I]}, {@code weight_hh_l0 [G*H, S]}, {@code bias_ih_l0 [G*H]},
 * {@code bias_hh_l0 [G*H]}, {@code weight_hr_l0 [P, H]} with a projection, {@code ..._reverse}) and the same
 * default initialisation, {@code U(-1/sqrt(H), 1/sqrt(H))}. {@code S} is the state size: {@code P} with a
 * projection, else {@code H}.
 *
 * <p>LSTM (Hochreiter and Schmidhuber, 1997; gates i, f, g, o): {@code c' = f c + i g}, {@code h' = o tanh(c')},
 * or with a projection (Sak et al., 2014; PyTorch's {@code proj_size}) {@code h' = W_hr (o tanh(c'))}.
 * GRU (Cho et al., 2014; gates r, z, n): {@code n = tanh(W_in x + b_in + r (W_hn h + b_hn))},
 * {@code h' = (1 - z) n + z h}. Elman: {@code h' = act(W_ih x + b_ih + W_hh h + b_hh)}, act tanh or ReLU.
 *
 * <p>A config's {@link CellVariant} adds what ONNX's recurrent operators define beyond PyTorch's cells (the GRU with
 * the reset gate before the product, LSTM peepholes, under the parameter names {@code peephole_l0[_reverse]
 * [3H]}, and coupled gates, clipping, other activations); {@link CellVariant#NONE} is PyTorch's cell.
 *
 * <p>Sequences are {@code [batch, seq, features]} when the config is batch-first, else {@code [seq, batch,
 * features]}; states are {@code [layers*dirs, batch, S]} ({@code c}: {@code [layers*dirs, batch, H]}) either way.
 * A variable-length batch ({@link PackedLengths}) follows PyTorch's packed sequences: outputs past a row's length
 * are zero and each row's final state is taken at its own last valid step.
 *
 * <p>The state is explicit ({@link RnnState}); {@code forward} over a sequence split in two with the state
 * passed across equals {@code forward} over the whole. Dropout between layers applies only in training mode,
 * with masks drawn from the generator given to {@link #train(Rng)}.
 */
public final class RnnLayer {
    private final RnnConfig config;
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private Rng dropoutRng;

    /** A layer with PyTorch's default initialisation, every parameter drawn in state_dict order from {@code rng}. */
    public RnnLayer(RnnConfig config, Rng rng) {
        if (config == null || rng == null) {
            throw new RecurException("RnnLayer: config and rng are required");
        }
        this.config = config;
        float bound = (float) (1.0 / Math.sqrt(config.hiddenSize()));
        for (String name : config.parameterNames()) {
            params.put(name, Tensor.uniform(rng, -bound, bound, config.parameterShape(name)).requiresGrad(true));
        }
    }

    private RnnLayer(RnnConfig config, Map<String, Tensor> shared) {
        this.config = config;
        params.putAll(shared);
    }

    /** A layer whose parameters are {@code shared}'s tensors themselves, in {@code config}'s order. */
    static RnnLayer sharing(RnnConfig config, Map<String, Tensor> shared) {
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        for (String name : config.parameterNames()) {
            ordered.put(name, shared.get(name));
        }
        return new RnnLayer(config, ordered);
    }

    /**
     * Layer {@code layer} of this stack on its own: a one-layer view whose parameters are this layer's tensors
     * themselves (named {@code ..._l0}), so gradients through the view reach them. Unidirectional stacks only.
     */
    public RnnLayer layer(int layer) {
        if (config.bidirectional()) {
            throw new RecurException(label() + ".layer: a bidirectional stack has no standalone layers");
        }
        if (layer < 0 || layer >= config.numLayers()) {
            throw new RecurException(label() + ".layer: expected a layer in [0, " + config.numLayers() + "), got "
                    + layer);
        }
        RnnConfig one = new RnnConfig(config.cell(), config.layerInputSize(layer), config.hiddenSize(), 1, false,
                config.bias(), 0f, config.projSize(), config.batchFirst(), config.variant());
        Map<String, Tensor> shared = new LinkedHashMap<>();
        for (String name : one.parameterNames()) {
            shared.put(name, params.get(name.replace("_l0", "_l" + layer)));
        }
        return new RnnLayer(one, shared);
    }

    public RnnConfig config() {
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
     * Copies PyTorch state_dict tensors into this layer's parameters, after checking that every expected name is
     * present with its shape and that no other name is.
     */
    public void loadStateDict(Map<String, Tensor> tensors) {
        StateDict.load(label(), params, tensors);
    }

    /**
     * Loads PyTorch state_dict tensors from a tensor file: safetensors (as {@code safetensors.torch.save_file(
     * module.state_dict(), path)} writes them) or {@code torch.save(module.state_dict(), path)}, checking every
     * name and shape first; the error names the file, the tensor and both shapes.
     */
    public void loadStateDict(TensorFile file) {
        StateDict.load(label(), params, file);
    }

    /** Writes the parameters under their PyTorch names as F32 safetensors (loadable by PyTorch's load_state_dict). */
    public void saveStateDict(Path path) throws IOException {
        StateDict.save(params, path);
    }

    /** Training mode: dropout between layers (when configured) with masks drawn from {@code rng}. */
    public RnnLayer train(Rng rng) {
        if (rng == null) {
            throw new RecurException(label() + ".train: a generator for the dropout masks is required");
        }
        dropoutRng = rng;
        return this;
    }

    /** Evaluation mode: no dropout. */
    public RnnLayer eval() {
        dropoutRng = null;
        return this;
    }

    public boolean isTraining() {
        return dropoutRng != null;
    }

    /** A zero state for {@code batch} sequences. */
    public RnnState initialState(int batch) {
        return RnnState.zeros(config, batch);
    }

    /** Runs over {@code x} ({@code [B, T, I]}, or {@code [T, B, I]} when not batch-first) from a zero state. */
    public RnnOutput forward(Tensor x) {
        return forward(x, (PackedLengths) null, null);
    }

    /**
     * Runs over {@code x} ({@code [B, T, I]}, or {@code [T, B, I]} when not batch-first) from {@code state} (null
     * for zeros); output {@code [B, T, dirs*S]} (or {@code [T, B, dirs*S]}).
     */
    public RnnOutput forward(Tensor x, RnnState state) {
        return forward(x, (PackedLengths) null, state);
    }

    /**
     * Runs a variable-length batch: row {@code b} of {@code x} has {@code lengths[b]} valid steps (1..T, any
     * order), as PyTorch runs {@code pack_padded_sequence(x, lengths, enforce_sorted=False)} and pads the result
     * back to T ({@code pad_packed_sequence(total_length=T)}): the output is zero past each row's length, each
     * row's final state is the state after its own last valid step, and the reverse direction starts there.
     * Gradients into the padding positions of {@code x} are zero. Null lengths mean every row is full.
     */
    public RnnOutput forward(Tensor x, PackedLengths lengths, RnnState state) {
        return forward(x, lengths, state, KernelMode.current() == KernelMode.REFERENCE);
    }

    /** As {@link #forward(Tensor, PackedLengths, RnnState)}, with the lengths as an array (null: all full). */
    public RnnOutput forward(Tensor x, int[] lengths, RnnState state) {
        return forward(x, lengths == null ? null : PackedLengths.of(lengths), state);
    }

    /** As {@link #forward(Tensor, RnnState)}, with the scalar reference kernels when {@code reference}. */
    RnnOutput forward(Tensor x, RnnState state, boolean reference) {
        return forward(x, null, state, reference);
    }

    /** As {@link #forward(Tensor, PackedLengths, RnnState)}, with the reference kernels when {@code reference}. */
    RnnOutput forward(Tensor x, PackedLengths lengths, RnnState state, boolean reference) {
        if (x == null) {
            throw new RecurException(label() + ": input is required");
        }
        String layout = config.batchFirst() ? "[batch, seq, " : "[seq, batch, ";
        if (x.rank() != 3 || x.dim(2) != config.inputSize() || x.dim(0) == 0 || x.dim(1) == 0) {
            throw new RecurException(label() + ": expected input " + layout + config.inputSize()
                    + "] with batch, seq > 0, got " + Shapes.format(x.shape()));
        }
        int batch = config.batchFirst() ? x.dim(0) : x.dim(1);
        int steps = config.batchFirst() ? x.dim(1) : x.dim(0);
        int[] kernelLengths = null;
        if (lengths != null) {
            lengths.check(label(), batch, steps);
            kernelLengths = lengths.forKernels(steps);
        }
        int[] outputShape = config.batchFirst() ? new int[] {batch, steps, config.outputSize()}
                : new int[] {steps, batch, config.outputSize()};
        return run(x, batch, steps, state, kernelLengths, outputShape, reference);
    }

    /** One timestep {@code x [B, I]} from {@code state}; output {@code [B, S]}. Unidirectional layers only. */
    public RnnOutput step(Tensor x, RnnState state) {
        if (config.bidirectional()) {
            throw new RecurException(label() + ".step: a bidirectional layer needs the whole sequence; "
                    + "use forward");
        }
        if (x == null || x.rank() != 2 || x.dim(1) != config.inputSize() || x.dim(0) == 0) {
            throw new RecurException(label() + ".step: expected input [batch, " + config.inputSize()
                    + "] with batch > 0, got " + (x == null ? "null" : Shapes.format(x.shape())));
        }
        int batch = x.dim(0);
        return run(x, batch, 1, state, null, new int[] {batch, config.outputSize()},
                KernelMode.current() == KernelMode.REFERENCE);
    }

    private RnnOutput run(Tensor x, int batch, int steps, RnnState state, int[] lengths, int[] outputShape,
                          boolean reference) {
        Tensor h0 = null;
        Tensor c0 = null;
        if (state != null) {
            Shapes.require(label(), "state h", new int[] {config.stateRows(), batch, config.stateSize()},
                    state.h().shape());
            if (config.cell().hasCellState() && state.c() == null) {
                throw new RecurException(label() + ": the state needs a cell tensor c [" + config.stateRows() + ", "
                        + batch + ", " + config.hiddenSize() + "], got none");
            }
            if (!config.cell().hasCellState() && state.c() != null) {
                throw new RecurException(label() + ": the state has a cell tensor c, but a "
                        + config.cell().torchModule() + " has none");
            }
            if (state.c() != null) {
                Shapes.require(label(), "state c", new int[] {config.stateRows(), batch, config.hiddenSize()},
                        state.c().shape());
            }
            h0 = state.h();
            c0 = state.c();
        }
        List<Tensor> ordered = new ArrayList<>(params.values());
        RnnStack stack = new RnnStack(config, SequenceKernel.of(config, reference));
        Rng dropout = dropoutRng == null ? null : dropoutRng.split();
        Tensor[] out = stack.forward(ordered, x, batch, steps, h0, c0, lengths, dropout, outputShape);
        return new RnnOutput(out[0], new RnnState(out[1], out.length > 2 ? out[2] : null));
    }

    private String label() {
        return config.cell().torchModule() + "(" + config.inputSize() + ", " + config.hiddenSize()
                + (config.projSize() > 0 ? ", proj_size=" + config.projSize() : "") + ")";
    }
}
