package dev.recur.onnx.rnn;

import dev.recur.layers.rnn.Activation;
import dev.recur.onnx.graph.Attributes;
import dev.recur.onnx.graph.NodeLabel;
import dev.recur.onnx.graph.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where the import reads the attributes and inputs of ONNX's LSTM, GRU and RNN that go beyond the weights, and
 * refuses, in one line naming the node, the attribute or input and its value, what ONNX does not allow or Recur
 * does not compute. Everything the operators define maps onto {@code RnnLayer} and its {@code CellVariant}; the
 * only functions refused are the activations other than {@code Sigmoid}, {@code Tanh} and {@code Relu}
 * ({@code Affine}, {@code LeakyRelu}, {@code ThresholdedRelu}, {@code ScaledTanh}, {@code HardSigmoid},
 * {@code Elu}, {@code Softsign}, {@code Softplus}).
 */
public final class RnnRefusals {
    private RnnRefusals() {}

    /** The direction attribute: 1 for {@code forward}, -1 for {@code reverse}, 2 for {@code bidirectional}. */
    public static int direction(NodeLabel label, String direction) {
        switch (direction) {
            case "forward":
                return 1;
            case "reverse":
                return -1;
            case "bidirectional":
                return 2;
            default:
                throw label.error("attribute direction '" + direction + "' is not forward, reverse or bidirectional");
        }
    }

    /** The {@code clip} threshold, or infinity when absent; ONNX clamps to {@code [-clip, clip]}, so it is positive. */
    public static float clip(NodeLabel label, Attributes attrs) {
        if (!attrs.has("clip")) {
            return Float.POSITIVE_INFINITY;
        }
        float clip = attrs.real("clip", 0f);
        if (!(clip > 0f)) {
            throw label.error("attribute clip " + clip + " must be positive (pre-activations are clamped to [-clip, "
                    + "clip])");
        }
        return clip;
    }

    /** A 0-or-1 attribute ({@code linear_before_reset}, {@code input_forget}) as a boolean. */
    public static boolean flag(NodeLabel label, Attributes attrs, String name) {
        long value = attrs.integer(name, 0);
        if (value != 0 && value != 1) {
            throw label.error("attribute " + name + " must be 0 or 1, got " + value);
        }
        return value == 1;
    }

    /**
     * The {@code activations} list, or null when absent: each one of {@code Sigmoid}, {@code Tanh} and
     * {@code Relu} (any case), {@code count} of them per direction for every direction (or, as ONNX Runtime
     * reads it, {@code count} for both directions of a bidirectional node).
     */
    public static List<Activation> activations(NodeLabel label, List<String> given, int count, int directions) {
        if (given == null || given.isEmpty()) {
            return null;
        }
        List<Activation> out = new ArrayList<>();
        for (String name : given) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.equals("sigmoid") && !lower.equals("tanh") && !lower.equals("relu")) {
                throw label.error("attribute activations " + given + " is not supported: '" + name + "' is not one "
                        + "of the functions Recur computes (Sigmoid, Tanh, Relu)");
            }
            out.add(Activation.parse(name));
        }
        if (out.size() != count * directions && out.size() != count) {
            throw label.error("attribute activations " + given + " has " + out.size() + " functions; " + label.opType()
                    + " takes " + count + " per direction" + (directions > 1 ? " (" + count * directions + " for "
                    + directions + " directions)" : ""));
        }
        return out;
    }

    /**
     * The peepholes {@code P [dirs, 3H]} (ONNX's order {@code p_i, p_o, p_f}), or null when every value is zero
     * (the same cell as none).
     */
    public static float[] peepholes(NodeLabel label, Value p, int directions, int hidden) {
        int[] want = {directions, 3 * hidden};
        if (!p.isFloat() || !Arrays.equals(p.shape(), want)) {
            throw label.error("input P expected float " + Arrays.toString(want) + ", got " + p.describe());
        }
        float[] data = p.floatData(label + ": input P");
        for (float v : data) {
            if (v != 0f) {
                return data;
            }
        }
        return null;
    }

    /**
     * The lengths {@code sequence_lens [batch]}, each in {@code [0, steps]} (ONNX Runtime's bounds; a row of
     * length 0 takes no step), or null when every row has all {@code steps}.
     */
    public static int[] sequenceLengths(NodeLabel label, Value lengths, int batch, int steps) {
        long[] l = lengths.longData(label + ": input sequence_lens");
        if (lengths.rank() != 1 || l.length != batch) {
            throw label.error("input sequence_lens expected shape [" + batch + "], got " + lengths.describe());
        }
        int[] out = new int[batch];
        boolean full = true;
        for (int b = 0; b < batch; b++) {
            if (l[b] < 0 || l[b] > steps) {
                throw label.error("input sequence_lens " + Arrays.toString(l) + " has " + l[b] + " at row " + b
                        + ", outside [0, " + steps + "] (the sequence length)");
            }
            out[b] = (int) l[b];
            full &= l[b] == steps;
        }
        return full ? null : out;
    }
}
