package dev.recur.layers.rnn;

import dev.recur.core.RecurException;
import dev.recur.core.io.DType;
import dev.recur.core.io.TensorEntry;
import dev.recur.core.io.TensorFile;
import dev.recur.core.io.TensorFiles;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A PyTorch recurrent module in a folder (the reference case format: {@code config.json} with the constructor's
 * arguments, read by {@link TorchRnnConfig}, and {@code model.safetensors}, or a {@code torch.save} file such as
 * {@code model.pt} ({@link TensorFiles#find}), with its state_dict), run as PyTorch runs it. An
 * {@code nn.RNN}/{@code nn.LSTM}/{@code nn.GRU} takes {@code input} ({@code [B, T, I]}, or {@code [T, B, I]} when not
 * batch-first), optional {@code h0}, {@code c0} and {@code lengths} (a variable-length batch, {@link PackedLengths})
 * and gives {@code output}, {@code h_n} and, for the LSTM, {@code c_n}. A cell
 * ({@code nn.RNNCell}/{@code nn.LSTMCell}/{@code nn.GRUCell}) is applied step by step over a time-major
 * {@code input [T, B, I]} from {@code h0} (and {@code c0}), each {@code [B, H]}, and gives {@code output}, the stacked
 * {@code h_t}, {@code [T, B, H]}.
 */
public final class TorchModule {
    /**
     * The inputs of one call. {@code h0} and {@code c0} are null for zeros; {@code lengths} is null when every
     * row is full.
     */
    public record Inputs(Tensor input, Tensor h0, Tensor c0, PackedLengths lengths) {}

    private final RnnLayer layer;
    private final RnnCell cell;

    private TorchModule(RnnLayer layer, RnnCell cell) {
        this.layer = layer;
        this.cell = cell;
    }

    /** A module as it stands. */
    public static TorchModule of(RnnLayer layer) {
        if (layer == null) {
            throw new RecurException("TorchModule: layer is required");
        }
        return new TorchModule(layer, null);
    }

    /** A cell as it stands. */
    public static TorchModule of(RnnCell cell) {
        if (cell == null) {
            throw new RecurException("TorchModule: cell is required");
        }
        return new TorchModule(null, cell);
    }

    /** Reads {@code config.json} and the weights ({@code model.safetensors}, {@code model.pt}, ...) in {@code dir}. */
    public static TorchModule load(Path dir) throws IOException {
        Path configPath = require(dir, "config.json");
        Map<String, Object> json = TorchRnnConfig.readJson(configPath);
        String source = configPath.toString();
        TorchModule module = TorchRnnConfig.isCell(json, source)
                ? of(new RnnCell(TorchRnnConfig.parseCell(json, source), new Rng(0)))
                : of(new RnnLayer(TorchRnnConfig.parse(json, source), new Rng(0)));
        try (TensorFile model = TensorFiles.open(require(TensorFiles.find(dir, "model")))) {
            if (module.isCell()) {
                module.cell.loadStateDict(model);
            } else {
                module.layer.loadStateDict(model);
            }
        }
        return module;
    }

    /** Whether this is a single cell rather than a layer stack. */
    public boolean isCell() {
        return cell != null;
    }

    /** The layer stack, or null for a cell. */
    public RnnLayer layer() {
        return layer;
    }

    /** The cell, or null for a layer stack. */
    public RnnCell cell() {
        return cell;
    }

    /** PyTorch's class name: RNN, LSTM, GRU, RNNCell, LSTMCell or GRUCell. */
    public String module() {
        return isCell() ? cell.config().cell().torchCellModule() : layer.config().cell().torchModule();
    }

    /** The parameters under PyTorch's state_dict names, in its order. */
    public Map<String, Tensor> parameters() {
        return isCell() ? cell.parameters() : layer.parameters();
    }

    /** Whether the state has a cell tensor {@code c} (the LSTM and the LSTM cell). */
    private boolean hasCellState() {
        return (isCell() ? cell.config().cell() : layer.config().cell()).hasCellState();
    }

    /** One line: the module and its constructor arguments. */
    public String describe() {
        CellType type = isCell() ? cell.config().cell() : layer.config().cell();
        StringBuilder s = new StringBuilder("PyTorch ").append(module());
        if (type.nonlinearity() != null) {
            s.append('(').append(type.nonlinearity()).append(')');
        }
        if (isCell()) {
            RnnCellConfig c = cell.config();
            s.append(", input ").append(c.inputSize()).append(", hidden ").append(c.hiddenSize());
            return s.append(c.bias() ? "" : ", no bias").toString();
        }
        RnnConfig c = layer.config();
        s.append(", input ").append(c.inputSize()).append(", hidden ").append(c.hiddenSize());
        if (c.projSize() > 0) {
            s.append(", proj_size ").append(c.projSize());
        }
        s.append(", ").append(c.numLayers()).append(c.numLayers() == 1 ? " layer" : " layers");
        s.append(c.bidirectional() ? ", bidirectional" : "").append(c.bias() ? "" : ", no bias");
        return s.append(c.batchFirst() ? "" : ", batch_first false").toString();
    }

    /**
     * Reads a call's inputs from {@code file}: {@code input} (required, float), {@code h0}, {@code c0} (each
     * optional; a missing one of the pair is zeros) and {@code lengths} (optional, I64 or I32 {@code [B]}, each
     * in 1..T; modules only). Every shape is checked against the config; errors name the file and the tensor.
     *
     * @param requiresGrad whether the tensors read should track gradients
     */
    public Inputs readInputs(TensorFile file, boolean requiresGrad) {
        String where = file.path().toString();
        if (!file.contains("input")) {
            throw new RecurException(where + ": no tensor 'input' (has " + file.names() + ")");
        }
        Tensor x = file.readFloat("input");
        boolean timeMajor = isCell() || !layer.config().batchFirst();
        int inputSize = isCell() ? cell.config().inputSize() : layer.config().inputSize();
        if (x.rank() != 3 || x.dim(2) != inputSize || x.dim(0) == 0 || x.dim(1) == 0) {
            throw new RecurException(where + ": tensor 'input' for " + module() + " expected shape "
                    + (timeMajor ? "[seq, batch, " : "[batch, seq, ") + inputSize + "] with batch, seq > 0, got "
                    + Shapes.format(x.shape()));
        }
        int batch = timeMajor ? x.dim(1) : x.dim(0);
        int steps = timeMajor ? x.dim(0) : x.dim(1);
        int[] hShape;
        int[] cShape;
        if (isCell()) {
            hShape = new int[] {batch, cell.config().hiddenSize()};
            cShape = hShape;
        } else {
            RnnConfig c = layer.config();
            hShape = new int[] {c.stateRows(), batch, c.stateSize()};
            cShape = new int[] {c.stateRows(), batch, c.hiddenSize()};
        }
        Tensor h0 = file.contains("h0") ? checked(file, "h0", hShape).requiresGrad(requiresGrad) : null;
        Tensor c0 = null;
        if (hasCellState() && file.contains("c0")) {
            c0 = checked(file, "c0", cShape).requiresGrad(requiresGrad);
        }
        if (h0 == null && c0 != null) {
            h0 = Tensor.zeros(hShape);
        }
        if (c0 == null && h0 != null && hasCellState()) {
            c0 = Tensor.zeros(cShape);
        }
        PackedLengths lengths = file.contains("lengths") ? lengths(file, batch, steps) : null;
        return new Inputs(x.requiresGrad(requiresGrad), h0, c0, lengths);
    }

    private PackedLengths lengths(TensorFile file, int batch, int steps) {
        String where = file.path() + ": tensor 'lengths'";
        if (isCell()) {
            throw new RecurException(where + " given, but " + module() + " takes one step at a time; lengths apply"
                    + " to RNN, LSTM and GRU");
        }
        TensorEntry info = file.info("lengths");
        if (info.dtype() != DType.I64 && info.dtype() != DType.I32) {
            throw new RecurException(where + " expected dtype I64 or I32, got " + info.dtype());
        }
        if (info.shape().length != 1 || info.shape()[0] != batch) {
            throw new RecurException(where + " expected shape [" + batch + "] (one length per batch row), got "
                    + Arrays.toString(info.shape()));
        }
        int[] values = file.readInt("lengths").data();
        for (int b = 0; b < batch; b++) {
            if (values[b] < 1 || values[b] > steps) {
                throw new RecurException(where + ": lengths[" + b + "] = " + values[b] + " is outside [1, " + steps
                        + "], the sequence length");
            }
        }
        return PackedLengths.of(values);
    }

    /**
     * Runs the module: {@code output}, {@code h_n} and {@code c_n} (LSTM) for a layer stack, {@code output} (the
     * stacked {@code h_t}) for a cell, in that order.
     */
    public Map<String, Tensor> run(Inputs in) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        if (!isCell()) {
            RnnState state = in.h0() == null ? null : new RnnState(in.h0(), in.c0());
            RnnOutput result = layer.forward(in.input(), in.lengths(), state);
            out.put("output", result.output());
            out.put("h_n", result.state().h());
            if (result.state().c() != null) {
                out.put("c_n", result.state().c());
            }
            return out;
        }
        if (in.lengths() != null) {
            throw new RecurException(module() + ": a cell takes no lengths");
        }
        int steps = in.input().dim(0);
        RnnCellState state = in.h0() == null ? null : new RnnCellState(in.h0(), in.c0());
        Tensor[] hs = new Tensor[steps];
        for (int t = 0; t < steps; t++) {
            Tensor xt = Reshaping.squeeze(Reshaping.slice(in.input(), 0, t, t + 1), 0);
            state = cell.step(xt, state);
            hs[t] = Reshaping.unsqueeze(state.h(), 0);
        }
        out.put("output", Reshaping.concat(0, hs));
        return out;
    }

    static Path require(Path dir, String file) throws IOException {
        return require(dir.resolve(file));
    }

    static Path require(Path p) throws IOException {
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(p.toString());
        }
        return p;
    }

    static Tensor checked(TensorFile file, String name, int[] shape) {
        if (!file.contains(name)) {
            throw new RecurException(file.path() + ": missing tensor '" + name + "'");
        }
        Tensor t = file.readFloat(name);
        Shapes.require(file.path().toString(), "tensor '" + name + "'", shape, t.shape());
        return t;
    }
}
