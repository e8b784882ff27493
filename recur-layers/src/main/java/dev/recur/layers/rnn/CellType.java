package dev.recur.layers.rnn;

import dev.recur.core.RecurException;
import java.util.Locale;

/** The recurrent cell of a layer, with the gate count its weights stack (PyTorch's order). */
public enum CellType {
    /** Elman RNN, {@code h' = tanh(W_ih x + b_ih + W_hh h + b_hh)}. */
    RNN_TANH(1, "RNN"),
    /** Elman RNN with a ReLU instead of tanh. */
    RNN_RELU(1, "RNN"),
    /** LSTM, gates stacked as i, f, g, o. */
    LSTM(4, "LSTM"),
    /** GRU, gates stacked as r, z, n, with {@code n = tanh(W_in x + b_in + r * (W_hn h + b_hn))}. */
    GRU(3, "GRU");

    private final int gates;
    private final String torchModule;

    CellType(int gates, String torchModule) {
        this.gates = gates;
        this.torchModule = torchModule;
    }

    /** How many gate blocks of {@code hiddenSize} rows the weights stack. */
    public int gates() {
        return gates;
    }

    /** True for the LSTM, whose state has a cell {@code c} beside {@code h}. */
    public boolean hasCellState() {
        return this == LSTM;
    }

    /** PyTorch's module name: {@code RNN}, {@code LSTM} or {@code GRU}. */
    public String torchModule() {
        return torchModule;
    }

    /** PyTorch's name for the single cell: {@code RNNCell}, {@code LSTMCell} or {@code GRUCell}. */
    public String torchCellModule() {
        return torchModule + "Cell";
    }

    /** PyTorch's {@code nonlinearity} of an Elman cell ({@code tanh} or {@code relu}), or null for the others. */
    public String nonlinearity() {
        return this == RNN_TANH ? "tanh" : this == RNN_RELU ? "relu" : null;
    }

    /** The Elman cell for PyTorch's {@code nonlinearity} argument: {@code tanh} (also for null) or {@code relu}. */
    public static CellType elman(String nonlinearity) {
        String act = nonlinearity == null ? "tanh" : nonlinearity.toLowerCase(Locale.ROOT);
        if (act.equals("tanh")) {
            return RNN_TANH;
        }
        if (act.equals("relu")) {
            return RNN_RELU;
        }
        throw new RecurException("RnnConfig.nonlinearity: expected 'tanh' or 'relu', got '" + nonlinearity + "'");
    }

    /** Lower-case name used to label ops and errors. */
    public String label() {
        switch (this) {
            case RNN_TANH:
                return "rnn_tanh";
            case RNN_RELU:
                return "rnn_relu";
            case LSTM:
                return "lstm";
            default:
                return "gru";
        }
    }
}
