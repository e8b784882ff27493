package dev.recur.layers.rnn;

import dev.recur.core.RecurException;
import java.util.Arrays;
import java.util.List;

/**
 * The variants of the recurrent cells that ONNX's {@code LSTM}, {@code GRU} and {@code RNN} operators define beyond
 * what PyTorch's modules compute (ONNX Operators.md, the equations of each operator). {@link #NONE} is PyTorch's
 * cell; {@link RnnConfig} checks each field against its cell and direction count.
 *
 * @param linearBeforeReset  GRU: true (PyTorch's, ONNX's {@code linear_before_reset=1}) for
 *                           {@code n = g(W_n x + b_in + r * (W_hn h + b_hn))}; false (ONNX's default) for
 *                           {@code n = g(W_n x + b_in + W_hn (r * h) + b_hn)}, the reset gate applied before the
 *                           recurrent product, as Cho et al. (2014) wrote the GRU
 * @param peepholes          LSTM: peephole connections (Gers and Schmidhuber, 2000, "Recurrent nets that time and
 *                           count"), a parameter {@code peephole [3H]} (blocks {@code p_i, p_f, p_o}) per layer and
 *                           direction: {@code i = f(.. + p_i * c_{t-1})}, {@code f = f(.. + p_f * c_{t-1})},
 *                           {@code o = f(.. + p_o * c_t)}
 * @param clip               every gate pre-activation (after its biases and peephole term) is clamped to
 *                           {@code [-clip, clip]} before its activation, and no gradient passes where it was
 *                           clamped; {@link Float#POSITIVE_INFINITY} for none
 * @param coupledInputForget LSTM: ONNX's {@code input_forget=1}, the forget gate coupled to the input gate,
 *                           {@code f = 1 - i} (the CIFG variant of Greff et al., 2017, "LSTM: a search space
 *                           odyssey", and ONNX Runtime's reading); the forget gate's weights are then unused
 * @param activations        empty for the cell's own functions, else the functions in ONNX's order for one
 *                           direction (LSTM {@code f, g, h}: {@code f} for the gates {@code i, f, o}, {@code g} for
 *                           the cell input, {@code h} for the output {@code o * h(c)}; GRU {@code f, g}: {@code f}
 *                           for {@code r, z}, {@code g} for {@code n}; Elman {@code f}), used by every direction,
 *                           or those of each direction in turn (forward first)
 */
public record CellVariant(boolean linearBeforeReset, boolean peepholes, float clip, boolean coupledInputForget,
                          List<Activation> activations) {
    /** PyTorch's cells: the reset gate after the product, no peepholes, no clipping, separate gates. */
    public static final CellVariant NONE = new CellVariant(true, false, Float.POSITIVE_INFINITY, false, List.of());

    public CellVariant {
        if (!(clip > 0f)) {
            throw new RecurException("CellVariant.clip: must be positive (Infinity for none), got " + clip);
        }
        if (activations == null) {
            throw new RecurException("CellVariant.activations: must be a list (empty for the cell's own)");
        }
        for (int k = 0; k < activations.size(); k++) {
            if (activations.get(k) == null) {
                throw new RecurException("CellVariant.activations[" + k + "]: must be SIGMOID, TANH or RELU, "
                        + "got null");
            }
        }
        activations = List.copyOf(activations);
    }

    /** Whether this is PyTorch's cell, which the default kernels compute. */
    public boolean isNone() {
        return equals(NONE);
    }

    /** Whether the gate pre-activations are clamped. */
    public boolean clips() {
        return clip != Float.POSITIVE_INFINITY;
    }

    public CellVariant withLinearBeforeReset(boolean value) {
        return new CellVariant(value, peepholes, clip, coupledInputForget, activations);
    }

    public CellVariant withPeepholes(boolean value) {
        return new CellVariant(linearBeforeReset, value, clip, coupledInputForget, activations);
    }

    public CellVariant withClip(float value) {
        return new CellVariant(linearBeforeReset, peepholes, value, coupledInputForget, activations);
    }

    public CellVariant withCoupledInputForget(boolean value) {
        return new CellVariant(linearBeforeReset, peepholes, clip, value, activations);
    }

    public CellVariant withActivations(Activation... value) {
        return new CellVariant(linearBeforeReset, peepholes, clip, coupledInputForget, Arrays.asList(value));
    }

    /** How many activation functions one direction of {@code cell} takes: LSTM 3, GRU 2, Elman 1. */
    public static int activationCount(CellType cell) {
        return cell == CellType.LSTM ? 3 : cell == CellType.GRU ? 2 : 1;
    }

    /** The functions {@code cell} computes without a list: the PyTorch cell's. */
    public static List<Activation> defaultActivations(CellType cell) {
        switch (cell) {
            case LSTM:
                return List.of(Activation.SIGMOID, Activation.TANH, Activation.TANH);
            case GRU:
                return List.of(Activation.SIGMOID, Activation.TANH);
            case RNN_RELU:
                return List.of(Activation.RELU);
            default:
                return List.of(Activation.TANH);
        }
    }

    /**
     * Checks this variant against a cell, its projection and its direction count; each message names the field
     * of {@code RnnConfig.variant}, the expected and the got.
     */
    void check(CellType cell, int projSize, int directions) {
        String where = "RnnConfig.variant.";
        if (!linearBeforeReset && cell != CellType.GRU) {
            throw new RecurException(where + "linearBeforeReset: only a GRU has a reset gate; expected true for "
                    + cell.torchModule() + ", got false");
        }
        if (peepholes && cell != CellType.LSTM) {
            throw new RecurException(where + "peepholes: only an LSTM has peephole connections, got true for "
                    + cell.torchModule());
        }
        if (coupledInputForget && cell != CellType.LSTM) {
            throw new RecurException(where + "coupledInputForget: only an LSTM has input and forget gates, got "
                    + "true for " + cell.torchModule());
        }
        int count = activationCount(cell);
        int n = activations.size();
        if (n != 0 && n != count && n != count * directions) {
            throw new RecurException(where + "activations: " + cell.torchModule() + " takes " + count
                    + " per direction" + (directions > 1 ? " (or " + count * directions + " for both)" : "")
                    + ", got " + n + " " + activations);
        }
        if (projSize > 0 && !isNone()) {
            throw new RecurException("RnnConfig.variant: an LSTM with a projection (projSize " + projSize
                    + ") computes PyTorch's cell only, got " + this);
        }
    }

    /** What direction {@code direction} of a {@code cell} layer computes. */
    GateSpec forDirection(CellType cell, int direction) {
        int count = activationCount(cell);
        List<Activation> own = activations.isEmpty() ? defaultActivations(cell)
                : activations.size() == count ? activations
                : activations.subList(direction * count, (direction + 1) * count);
        return new GateSpec(own.get(0), count > 1 ? own.get(1) : null, count > 2 ? own.get(2) : null, clip,
                linearBeforeReset, peepholes, coupledInputForget);
    }
}
