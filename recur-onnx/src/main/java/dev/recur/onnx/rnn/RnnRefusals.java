package dev.recur.onnx.rnn;

import dev.recur.core.RecurException;
import dev.recur.onnx.graph.Attributes;
import dev.recur.onnx.graph.NodeLabel;
import dev.recur.onnx.graph.Value;
import java.util.Arrays;
import java.util.List;

/**
 * Where the import refuses what ONNX's LSTM, GRU and RNN define and Recur's {@code RnnLayer} does not compute.
 * Each method checks one feature and throws one line naming the node, the attribute or input and its value;
 * supporting a feature later means replacing that method's refusal with a mapping onto the layer:
 * <ul>
 *   <li>{@link #direction}: {@code direction="reverse"};</li>
 *   <li>{@link #clip}: {@code clip};</li>
 *   <li>{@link #linearBeforeReset}: a GRU with {@code linear_before_reset=0} (ONNX's default);</li>
 *   <li>{@link #peepholes}: an LSTM's {@code P} with a non-zero value;</li>
 *   <li>{@link #sequenceLengths}: {@code sequence_lens} other than the full length for every sequence;</li>
 *   <li>{@link #inputForget}: an LSTM's {@code input_forget=1};</li>
 *   <li>{@link #activations} and {@link #activationParameters}: activations other than the PyTorch cells'.</li>
 * </ul>
 */
public final class RnnRefusals {
    private RnnRefusals() {}

    /** Accepts {@code forward} and {@code bidirectional}; refuses {@code reverse}. Returns the direction count. */
    public static int direction(NodeLabel label, String direction) {
        switch (direction) {
            case "forward":
                return 1;
            case "bidirectional":
                return 2;
            case "reverse":
                throw label.error("attribute direction 'reverse' is not supported; Recur runs forward or "
                        + "bidirectional");
            default:
                throw label.error("attribute direction '" + direction + "' is not forward, reverse or bidirectional");
        }
    }

    /** Refuses any {@code clip}. */
    public static void clip(NodeLabel label, Attributes attrs) {
        if (attrs.has("clip")) {
            throw label.error("attribute clip " + attrs.real("clip", 0f) + " is not supported; Recur does not clip "
                    + "the cell inputs");
        }
    }

    /** Accepts a GRU with {@code linear_before_reset=1}, PyTorch's form. */
    public static void linearBeforeReset(NodeLabel label, long value) {
        if (value != 1) {
            throw label.error("attribute linear_before_reset " + value + " is not supported; Recur's GRU applies "
                    + "the reset gate after the recurrent product (linear_before_reset=1, as PyTorch's GRU)");
        }
    }

    /** Accepts an LSTM without coupled input and forget gates. */
    public static void inputForget(NodeLabel label, long value) {
        if (value != 0) {
            throw label.error("attribute input_forget " + value + " is not supported; Recur's LSTM has separate "
                    + "input and forget gates");
        }
    }

    /** Accepts peepholes {@code P [dirs, 3H]} only when every value is zero. */
    public static void peepholes(NodeLabel label, Value p) {
        for (float v : p.floatData(label + ": input P")) {
            if (v != 0f) {
                throw label.error("input P (peepholes) with non-zero values is not supported; Recur's LSTM has no "
                        + "peephole connections");
            }
        }
    }

    /** Accepts {@code sequence_lens [batch]} only when every length is {@code steps}. */
    public static void sequenceLengths(NodeLabel label, Value lengths, int batch, int steps) {
        long[] l = lengths.longData(label + ": input sequence_lens");
        if (lengths.rank() != 1 || l.length != batch) {
            throw label.error("input sequence_lens expected shape [" + batch + "], got " + lengths.describe());
        }
        for (long v : l) {
            if (v != steps) {
                throw label.error("input sequence_lens " + Arrays.toString(l) + " is not supported; Recur runs every "
                        + "sequence for all " + steps + " steps");
            }
        }
    }

    /** Refuses {@code activation_alpha} and {@code activation_beta}, which no supported activation takes. */
    public static void activationParameters(NodeLabel label, Attributes attrs) {
        for (String name : List.of("activation_alpha", "activation_beta")) {
            float[] values = attrs.floats(name);
            if (values != null && values.length > 0) {
                throw label.error("attribute " + name + " " + Arrays.toString(values) + " is not supported; Recur's "
                        + "Sigmoid, Tanh and Relu take no parameters");
            }
        }
    }

    /** The refusal of an {@code activations} list that no Recur cell computes; {@code offer} says what would do. */
    public static RecurException activations(NodeLabel label, List<String> given, String offer) {
        return label.error("attribute activations " + given + " is not supported; " + offer);
    }
}
