package dev.recur.onnx.rnn;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.rnn.Activation;
import dev.recur.layers.rnn.CellType;
import dev.recur.layers.rnn.CellVariant;
import dev.recur.layers.rnn.RnnConfig;
import dev.recur.layers.rnn.RnnLayer;
import dev.recur.onnx.graph.Attributes;
import dev.recur.onnx.graph.NodeLabel;
import dev.recur.onnx.graph.Value;
import dev.recur.onnx.proto.NodeProto;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ONNX {@code LSTM}, {@code GRU} or {@code RNN} node read into the terms of Recur's {@code RnnLayer}: every
 * attribute the operator defines is read when the model loads and checked by {@link RnnRefusals}: the clip,
 * {@code linear_before_reset}, {@code input_forget} and the activations become the layer's {@code CellVariant}, a
 * {@code reverse} direction runs a forward layer over each row reversed within its length ({@link RecurrentKernel}).
 * {@link #layer} turns the node's {@code W}, {@code R}, {@code B} and {@code P} into a one-layer (possibly
 * bidirectional) {@code RnnLayer} with PyTorch's gate order.
 *
 * <p>ONNX (Operators.md, LSTM/GRU/RNN): {@code W [dirs, G*H, I]}, {@code R [dirs, G*H, H]},
 * {@code B [dirs, 2*G*H]} (the input bias, then the recurrent bias), {@code P [dirs, 3H]} (the LSTM's peepholes,
 * {@code p_i, p_o, p_f}), states {@code [dirs, B, H]}; with {@code layout=1} the batch comes first in {@code X},
 * {@code Y} and the states. {@code activation_alpha} and {@code activation_beta} are consumed, in order, only by
 * the activations that take parameters (as ONNX Runtime reads them); Sigmoid, Tanh and Relu take none, so with the
 * functions Recur computes they have no effect.
 */
public final class RecurrentNode {
    private final NodeLabel label;
    private final RnnOperator op;
    private final CellType cell;
    private final CellVariant variant;  // without peepholes: P arrives with the inputs
    private final int directions;
    private final boolean reverse;      // direction="reverse"
    private final int hiddenSize;       // -1 when the attribute is absent: R's last dimension decides
    private final boolean batchMajor;   // layout=1

    private RecurrentNode(NodeLabel label, RnnOperator op, CellType cell, CellVariant variant, int directions,
                          boolean reverse, int hiddenSize, boolean batchMajor) {
        this.label = label;
        this.op = op;
        this.cell = cell;
        this.variant = variant;
        this.directions = directions;
        this.reverse = reverse;
        this.hiddenSize = hiddenSize;
        this.batchMajor = batchMajor;
    }

    /** Reads and checks the node's attributes and the count of its inputs and outputs. */
    public static RecurrentNode parse(NodeProto node, NodeLabel label, RnnOperator op) {
        Attributes attrs = new Attributes(node, label);
        attrs.requireKnown(op.attributes());
        if (node.getInputCount() > op.inputs().size() || node.getOutputCount() > op.outputs().size()) {
            throw label.error("has " + node.getInputCount() + " inputs and " + node.getOutputCount() + " outputs; "
                    + op + " takes at most " + op.inputs() + " and gives " + op.outputs());
        }
        int direction = RnnRefusals.direction(label, attrs.string("direction", "forward"));
        int directions = Math.abs(direction);
        long hidden = attrs.integer("hidden_size", -1);
        if (attrs.has("hidden_size") && (hidden <= 0 || hidden > Integer.MAX_VALUE)) {
            throw label.error("attribute hidden_size must be positive, got " + hidden);
        }
        long layout = attrs.integer("layout", 0);
        if (layout != 0 && layout != 1) {
            throw label.error("attribute layout must be 0 (sequence first) or 1 (batch first), got " + layout);
        }
        CellVariant variant = CellVariant.NONE.withClip(RnnRefusals.clip(label, attrs));
        if (op == RnnOperator.LSTM) {
            variant = variant.withCoupledInputForget(RnnRefusals.flag(label, attrs, "input_forget"));
        }
        if (op == RnnOperator.GRU) {
            variant = variant.withLinearBeforeReset(RnnRefusals.flag(label, attrs, "linear_before_reset"));
        }
        List<Activation> activations = RnnRefusals.activations(label, attrs.strings("activations"),
                op.defaultActivations().size(), directions);
        CellType cell = cell(op, activations);
        if (activations != null && !ownFunctions(cell, activations)) {
            variant = variant.withActivations(activations.toArray(new Activation[0]));
        }
        return new RecurrentNode(label, op, cell, variant, directions, direction < 0, (int) hidden, layout == 1);
    }

    /**
     * The cell: the operator's, and for an RNN whose activations are all Relu, {@code RNN_RELU} (any other list
     * makes a variant of the tanh cell).
     */
    private static CellType cell(RnnOperator op, List<Activation> activations) {
        switch (op) {
            case LSTM:
                return CellType.LSTM;
            case GRU:
                return CellType.GRU;
            default:
                return activations != null && activations.stream().allMatch(a -> a == Activation.RELU)
                        ? CellType.RNN_RELU : CellType.RNN_TANH;
        }
    }

    /** Whether {@code activations} are {@code cell}'s own in every direction (so no variant is needed). */
    private static boolean ownFunctions(CellType cell, List<Activation> activations) {
        List<Activation> own = CellVariant.defaultActivations(cell);
        for (int k = 0; k < activations.size(); k++) {
            if (activations.get(k) != own.get(k % own.size())) {
                return false;
            }
        }
        return true;
    }

    public NodeLabel label() {
        return label;
    }

    public RnnOperator op() {
        return op;
    }

    public CellType cell() {
        return cell;
    }

    public int directions() {
        return directions;
    }

    /** Whether the node runs its one direction from the end of each sequence ({@code direction="reverse"}). */
    public boolean reverse() {
        return reverse;
    }

    /** What the cells compute beyond PyTorch's, before any peepholes ({@code P} arrives with the inputs). */
    public CellVariant variant() {
        return variant;
    }

    /** Whether X, Y and the states put the batch first ({@code layout=1}). */
    public boolean batchMajor() {
        return batchMajor;
    }

    /**
     * A one-layer {@code RnnLayer} holding {@code w}, {@code r}, {@code b} (null for none) and the LSTM's
     * peepholes {@code p} ({@code [dirs, 3H]} in ONNX's order, null for none) restacked in PyTorch's gate order
     * under PyTorch's names (the peepholes under Recur's {@code peephole_l0}); every shape is checked against the
     * node first.
     */
    public RnnLayer layer(Value w, Value r, Value b, Value p) {
        int g = op.gates();
        requireRank(w, "W", 3);
        requireRank(r, "R", 3);
        int h = hiddenSize > 0 ? hiddenSize : r.dim(2);
        int inputSize = w.dim(2);
        require(w, "W", directions, g * h, inputSize);
        require(r, "R", directions, g * h, h);
        if (b != null) {
            require(b, "B", directions, 2 * g * h);
        }
        float[] peepholes = p == null ? null : RnnRefusals.peepholes(label, p, directions, h);
        RnnConfig config = new RnnConfig(cell, inputSize, h, 1, directions == 2, b != null, 0f, 0, true,
                variant.withPeepholes(peepholes != null));
        Map<String, Tensor> state = new LinkedHashMap<>();
        float[] wData = w.floatData(label + ": input W");
        float[] rData = r.floatData(label + ": input R");
        float[] bData = b == null ? null : b.floatData(label + ": input B");
        int rows = g * h;
        for (int d = 0; d < directions; d++) {
            String suffix = "_l0" + (d == 1 ? "_reverse" : "");
            state.put("weight_ih" + suffix, torch(Arrays.copyOfRange(wData, d * rows * inputSize,
                    (d + 1) * rows * inputSize), h, inputSize, rows, inputSize));
            state.put("weight_hh" + suffix, torch(Arrays.copyOfRange(rData, d * rows * h, (d + 1) * rows * h), h, h,
                    rows, h));
            if (bData != null) {
                int base = d * 2 * rows;
                state.put("bias_ih" + suffix, torch(Arrays.copyOfRange(bData, base, base + rows), h, 1, rows));
                state.put("bias_hh" + suffix, torch(Arrays.copyOfRange(bData, base + rows, base + 2 * rows), h, 1,
                        rows));
            }
            if (peepholes != null) {
                state.put("peephole" + suffix, Tensor.of(GateOrder.peepholesToTorch(Arrays.copyOfRange(peepholes,
                        d * 3 * h, (d + 1) * 3 * h), h), 3 * h));
            }
        }
        RnnLayer layer = new RnnLayer(config, new Rng(0));
        layer.loadStateDict(state);
        return layer.eval();
    }

    private Tensor torch(float[] onnxRows, int h, int cols, int... shape) {
        return Tensor.of(GateOrder.toTorch(cell, onnxRows, h, cols), shape);
    }

    private void requireRank(Value v, String name, int rank) {
        if (!v.isFloat() || v.rank() != rank) {
            throw label.error("input " + name + " expected a float tensor of rank " + rank + ", got " + v.describe());
        }
    }

    private void require(Value v, String name, int... dims) {
        if (!v.isFloat() || !Arrays.equals(v.shape(), dims)) {
            throw label.error("input " + name + " expected float " + Arrays.toString(dims) + ", got " + v.describe());
        }
    }
}
