package dev.recur.layers.rnn;

import dev.recur.core.RecurException;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a single recurrent cell, as PyTorch's {@code nn.RNNCell}, {@code nn.LSTMCell} and
 * {@code nn.GRUCell} take it. Validated when built: each message names the field and why it is wrong.
 *
 * @param cell       the recurrent cell ({@link CellType#RNN_TANH} and {@link CellType#RNN_RELU} for RNNCell's
 *                   {@code nonlinearity})
 * @param inputSize  features of the input, {@code I}
 * @param hiddenSize features of the hidden (and the LSTM's cell) state, {@code H}
 * @param bias       whether the cell has the biases {@code b_ih} and {@code b_hh}
 */
public record RnnCellConfig(CellType cell, int inputSize, int hiddenSize, boolean bias) {

    public RnnCellConfig {
        if (cell == null) {
            throw new RecurException("RnnCellConfig.cell: must be set (RNN_TANH, RNN_RELU, LSTM or GRU)");
        }
        if (inputSize <= 0) {
            throw new RecurException("RnnCellConfig.inputSize: must be positive, got " + inputSize);
        }
        if (hiddenSize <= 0) {
            throw new RecurException("RnnCellConfig.hiddenSize: must be positive, got " + hiddenSize);
        }
        long rows = (long) cell.gates() * hiddenSize;
        if (rows * Math.max(inputSize, hiddenSize) > Integer.MAX_VALUE) {
            throw new RecurException("RnnCellConfig: a weight of " + rows + " x " + Math.max(inputSize, hiddenSize)
                    + " has more than 2^31-1 elements");
        }
    }

    /** An LSTM cell with biases. */
    public static RnnCellConfig lstm(int inputSize, int hiddenSize) {
        return new RnnCellConfig(CellType.LSTM, inputSize, hiddenSize, true);
    }

    /** A GRU cell with biases. */
    public static RnnCellConfig gru(int inputSize, int hiddenSize) {
        return new RnnCellConfig(CellType.GRU, inputSize, hiddenSize, true);
    }

    /** A tanh Elman cell with biases. */
    public static RnnCellConfig rnn(int inputSize, int hiddenSize) {
        return new RnnCellConfig(CellType.RNN_TANH, inputSize, hiddenSize, true);
    }

    /**
     * The config of a PyTorch cell from its constructor arguments: {@code module} is {@code RNNCell},
     * {@code LSTMCell} or {@code GRUCell}; {@code nonlinearity} ({@code tanh} or {@code relu}) only applies to
     * RNNCell.
     */
    public static RnnCellConfig fromTorch(String module, int inputSize, int hiddenSize, boolean bias,
                                          String nonlinearity) {
        CellType cell;
        switch (module == null ? "" : module) {
            case "LSTMCell":
                cell = CellType.LSTM;
                break;
            case "GRUCell":
                cell = CellType.GRU;
                break;
            case "RNNCell":
                cell = CellType.elman(nonlinearity);
                break;
            default:
                throw new RecurException("RnnCellConfig.module: expected 'RNNCell', 'LSTMCell' or 'GRUCell', got '"
                        + module + "'");
        }
        return new RnnCellConfig(cell, inputSize, hiddenSize, bias);
    }

    public RnnCellConfig withBias(boolean value) {
        return new RnnCellConfig(cell, inputSize, hiddenSize, value);
    }

    public RnnCellConfig withCell(CellType value) {
        return new RnnCellConfig(value, inputSize, hiddenSize, bias);
    }

    /** PyTorch's state_dict names, in its order: weight_ih, weight_hh, then bias_ih, bias_hh with biases. */
    public List<String> parameterNames() {
        List<String> names = new ArrayList<>(List.of("weight_ih", "weight_hh"));
        if (bias) {
            names.add("bias_ih");
            names.add("bias_hh");
        }
        return names;
    }

    /** The shape PyTorch gives a parameter; {@code name} must be one of {@link #parameterNames()}. */
    public int[] parameterShape(String name) {
        int rows = cell.gates() * hiddenSize;
        switch (name) {
            case "weight_ih":
                return new int[] {rows, inputSize};
            case "weight_hh":
                return new int[] {rows, hiddenSize};
            case "bias_ih":
            case "bias_hh":
                return new int[] {rows};
            default:
                throw new RecurException(cell.torchCellModule() + ": no parameter '" + name + "'; expected one of "
                        + parameterNames());
        }
    }

    /** The one-layer, unidirectional stack that takes the same steps. */
    RnnConfig layerConfig() {
        return new RnnConfig(cell, inputSize, hiddenSize, 1, false, bias, 0f);
    }
}
