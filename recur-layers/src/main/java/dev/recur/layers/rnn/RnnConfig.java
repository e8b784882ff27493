package dev.recur.layers.rnn;

import dev.recur.core.RecurException;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a recurrent layer stack, as PyTorch's {@code nn.RNN}/{@code nn.LSTM}/{@code nn.GRU} take it.
 * Validated when built: each message names the field and why it is wrong.
 *
 * @param cell          the recurrent cell
 * @param inputSize     features per timestep of the input, {@code I}
 * @param hiddenSize    features of the hidden state, {@code H} (of the cell state {@code c} with a projection)
 * @param numLayers     stacked layers; layer {@code k > 0} reads layer {@code k-1}'s output
 * @param bidirectional whether each layer also runs right to left, its outputs concatenated to the forward ones
 * @param bias          whether the cells have the biases {@code b_ih} and {@code b_hh}
 * @param dropout       probability of zeroing an element of each layer's output except the last, in training
 * @param projSize      LSTM only: {@code P > 0} projects each hidden state, {@code h = W_hr (o * tanh(c))}
 *                      (Sak et al., 2014, "LSTM-based deep RNN architectures for large vocabulary speech
 *                      recognition"; PyTorch's {@code proj_size}), or 0 for none
 * @param batchFirst    whether sequences are {@code [batch, seq, features]} (true) or {@code [seq, batch,
 *                      features]} (false, PyTorch's default); states are {@code [layers*dirs, batch, size]} either
 *                      way
 * @param variant       what the cells compute beyond PyTorch's (ONNX's GRU {@code linear_before_reset=0}, LSTM
 *                      peepholes and coupled gates, clipping, other activations), {@link CellVariant#NONE} (also
 *                      for null) for PyTorch's cells
 */
public record RnnConfig(CellType cell, int inputSize, int hiddenSize, int numLayers, boolean bidirectional,
                        boolean bias, float dropout, int projSize, boolean batchFirst, CellVariant variant) {

    public RnnConfig {
        if (cell == null) {
            throw new RecurException("RnnConfig.cell: must be set (RNN_TANH, RNN_RELU, LSTM or GRU)");
        }
        if (variant == null) {
            variant = CellVariant.NONE;
        }
        positive("inputSize", inputSize);
        positive("hiddenSize", hiddenSize);
        positive("numLayers", numLayers);
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new RecurException("RnnConfig.dropout: must be in [0, 1), got " + dropout);
        }
        if (projSize < 0) {
            throw new RecurException("RnnConfig.projSize: must be 0 (no projection) or positive, got " + projSize);
        }
        if (projSize > 0 && cell != CellType.LSTM) {
            throw new RecurException("RnnConfig.projSize: only an LSTM has a projection, got projSize " + projSize
                    + " for " + cell.torchModule());
        }
        if (projSize >= hiddenSize) {
            throw new RecurException("RnnConfig.projSize: must be smaller than hiddenSize " + hiddenSize + ", got "
                    + projSize);
        }
        long rows = (long) cell.gates() * hiddenSize;
        long state = projSize > 0 ? projSize : hiddenSize;
        long widest = Math.max(Math.max(inputSize, state * (bidirectional ? 2 : 1)), hiddenSize);
        if (rows * widest > Integer.MAX_VALUE) {
            throw new RecurException("RnnConfig: a weight of " + rows + " x " + widest
                    + " has more than 2^31-1 elements");
        }
        variant.check(cell, projSize, bidirectional ? 2 : 1);
    }

    /** PyTorch's cells, as {@code nn.RNN}, {@code nn.LSTM} and {@code nn.GRU} take their arguments. */
    public RnnConfig(CellType cell, int inputSize, int hiddenSize, int numLayers, boolean bidirectional, boolean bias,
                     float dropout, int projSize, boolean batchFirst) {
        this(cell, inputSize, hiddenSize, numLayers, bidirectional, bias, dropout, projSize, batchFirst,
                CellVariant.NONE);
    }

    /** A batch-first stack without a projection. */
    public RnnConfig(CellType cell, int inputSize, int hiddenSize, int numLayers, boolean bidirectional, boolean bias,
                     float dropout) {
        this(cell, inputSize, hiddenSize, numLayers, bidirectional, bias, dropout, 0, true);
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new RecurException("RnnConfig." + field + ": must be positive, got " + value);
        }
    }

    /** A one-layer, unidirectional LSTM with biases and no dropout. */
    public static RnnConfig lstm(int inputSize, int hiddenSize) {
        return new RnnConfig(CellType.LSTM, inputSize, hiddenSize, 1, false, true, 0f);
    }

    /** A one-layer, unidirectional GRU with biases and no dropout. */
    public static RnnConfig gru(int inputSize, int hiddenSize) {
        return new RnnConfig(CellType.GRU, inputSize, hiddenSize, 1, false, true, 0f);
    }

    /** A one-layer, unidirectional tanh Elman RNN with biases and no dropout. */
    public static RnnConfig rnn(int inputSize, int hiddenSize) {
        return new RnnConfig(CellType.RNN_TANH, inputSize, hiddenSize, 1, false, true, 0f);
    }

    /**
     * The config of a PyTorch module from its constructor arguments: {@code module} is {@code RNN},
     * {@code LSTM} or {@code GRU}; {@code nonlinearity} ({@code tanh} or {@code relu}) only applies to RNN.
     * Batch-first, without a projection ({@link #withProjSize}, {@link #withBatchFirst} set those).
     */
    public static RnnConfig fromTorch(String module, int inputSize, int hiddenSize, int numLayers,
                                      boolean bidirectional, boolean bias, String nonlinearity, float dropout) {
        CellType cell;
        switch (module == null ? "" : module) {
            case "LSTM":
                cell = CellType.LSTM;
                break;
            case "GRU":
                cell = CellType.GRU;
                break;
            case "RNN":
                cell = CellType.elman(nonlinearity);
                break;
            default:
                throw new RecurException("RnnConfig.module: expected 'RNN', 'LSTM' or 'GRU', got '" + module + "'");
        }
        return new RnnConfig(cell, inputSize, hiddenSize, numLayers, bidirectional, bias, dropout);
    }

    public RnnConfig withLayers(int value) {
        return new RnnConfig(cell, inputSize, hiddenSize, value, bidirectional, bias, dropout, projSize, batchFirst,
                variant);
    }

    public RnnConfig withBidirectional(boolean value) {
        return new RnnConfig(cell, inputSize, hiddenSize, numLayers, value, bias, dropout, projSize, batchFirst,
                variant);
    }

    public RnnConfig withBias(boolean value) {
        return new RnnConfig(cell, inputSize, hiddenSize, numLayers, bidirectional, value, dropout, projSize,
                batchFirst, variant);
    }

    public RnnConfig withDropout(float value) {
        return new RnnConfig(cell, inputSize, hiddenSize, numLayers, bidirectional, bias, value, projSize, batchFirst,
                variant);
    }

    public RnnConfig withCell(CellType value) {
        return new RnnConfig(value, inputSize, hiddenSize, numLayers, bidirectional, bias, dropout, projSize,
                batchFirst, variant);
    }

    /** The same stack with an LSTM projection of {@code value} features (0 for none). */
    public RnnConfig withProjSize(int value) {
        return new RnnConfig(cell, inputSize, hiddenSize, numLayers, bidirectional, bias, dropout, value, batchFirst,
                variant);
    }

    /** The same stack reading and writing {@code [batch, seq, features]} (true) or {@code [seq, batch, features]}. */
    public RnnConfig withBatchFirst(boolean value) {
        return new RnnConfig(cell, inputSize, hiddenSize, numLayers, bidirectional, bias, dropout, projSize, value,
                variant);
    }

    /** The same stack computing the cell variant {@code value} ({@link CellVariant#NONE} for PyTorch's cells). */
    public RnnConfig withVariant(CellVariant value) {
        return new RnnConfig(cell, inputSize, hiddenSize, numLayers, bidirectional, bias, dropout, projSize,
                batchFirst, value);
    }

    /** 2 when bidirectional, else 1. */
    public int directions() {
        return bidirectional ? 2 : 1;
    }

    /** Features of the hidden state {@code h}: {@code projSize} with a projection, else {@code hiddenSize}. */
    public int stateSize() {
        return projSize > 0 ? projSize : hiddenSize;
    }

    /** Features of the output per timestep: {@code directions * stateSize()}. */
    public int outputSize() {
        return directions() * stateSize();
    }

    /** Features layer {@code layer} reads per timestep. */
    public int layerInputSize(int layer) {
        return layer == 0 ? inputSize : outputSize();
    }

    /** The first dimension of the state tensors: {@code numLayers * directions}. */
    public int stateRows() {
        return numLayers * directions();
    }

    /**
     * Parameters per layer and direction: the two weights, the two biases when present, then the projection or
     * the peepholes (never both).
     */
    int parametersPerDirection() {
        return (bias ? 4 : 2) + (projSize > 0 || variant.peepholes() ? 1 : 0);
    }

    /**
     * PyTorch's state_dict names, in its order: per layer, per direction, weight_ih, weight_hh, bias_ih, bias_hh,
     * then weight_hr with a projection, or (Recur's name, PyTorch has none) {@code peephole [3H]} with peepholes.
     */
    public List<String> parameterNames() {
        List<String> names = new ArrayList<>();
        for (int layer = 0; layer < numLayers; layer++) {
            for (int dir = 0; dir < directions(); dir++) {
                String suffix = "_l" + layer + (dir == 1 ? "_reverse" : "");
                names.add("weight_ih" + suffix);
                names.add("weight_hh" + suffix);
                if (bias) {
                    names.add("bias_ih" + suffix);
                    names.add("bias_hh" + suffix);
                }
                if (projSize > 0) {
                    names.add("weight_hr" + suffix);
                }
                if (variant.peepholes()) {
                    names.add("peephole" + suffix);
                }
            }
        }
        return names;
    }

    /** The shape PyTorch gives a parameter of this config; {@code name} must be one of {@link #parameterNames()}. */
    public int[] parameterShape(String name) {
        int layer = Integer.parseInt(name.replaceAll("^.*_l(\\d+)(_reverse)?$", "$1"));
        int rows = cell.gates() * hiddenSize;
        if (name.startsWith("weight_ih")) {
            return new int[] {rows, layerInputSize(layer)};
        }
        if (name.startsWith("weight_hh")) {
            return new int[] {rows, stateSize()};
        }
        if (name.startsWith("weight_hr")) {
            return new int[] {projSize, hiddenSize};
        }
        if (name.startsWith("peephole")) {
            return new int[] {3 * hiddenSize};
        }
        return new int[] {rows};
    }
}
