package dev.recur.onnx.rnn;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.rnn.CellType;
import dev.recur.layers.rnn.RnnConfig;
import dev.recur.layers.rnn.RnnLayer;
import dev.recur.onnx.graph.Attributes;
import dev.recur.onnx.graph.NodeLabel;
import dev.recur.onnx.graph.Value;
import dev.recur.onnx.proto.NodeProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One ONNX {@code LSTM}, {@code GRU} or {@code RNN} node read into the terms of Recur's {@code RnnLayer}: every
 * attribute the operator defines is read when the model loads, and what the layer does not compute is refused
 * by {@link RnnRefusals}. {@link #layer} turns the node's {@code W}, {@code R} and {@code B} into a one-layer
 * (possibly bidirectional) {@code RnnLayer} with PyTorch's gate order.
 *
 * <p>ONNX (Operators.md, LSTM/GRU/RNN): {@code W [dirs, G*H, I]}, {@code R [dirs, G*H, H]},
 * {@code B [dirs, 2*G*H]} (the input bias, then the recurrent bias), states {@code [dirs, B, H]}; with
 * {@code layout=1} the batch comes first in {@code X}, {@code Y} and the states.
 */
public final class RecurrentNode {
    private final NodeLabel label;
    private final RnnOperator op;
    private final CellType cell;
    private final int directions;
    private final int hiddenSize;       // -1 when the attribute is absent: R's last dimension decides
    private final boolean batchMajor;   // layout=1

    private RecurrentNode(NodeLabel label, RnnOperator op, CellType cell, int directions, int hiddenSize,
                          boolean batchMajor) {
        this.label = label;
        this.op = op;
        this.cell = cell;
        this.directions = directions;
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
        int directions = RnnRefusals.direction(label, attrs.string("direction", "forward"));
        long hidden = attrs.integer("hidden_size", -1);
        if (attrs.has("hidden_size") && (hidden <= 0 || hidden > Integer.MAX_VALUE)) {
            throw label.error("attribute hidden_size must be positive, got " + hidden);
        }
        long layout = attrs.integer("layout", 0);
        if (layout != 0 && layout != 1) {
            throw label.error("attribute layout must be 0 (sequence first) or 1 (batch first), got " + layout);
        }
        RnnRefusals.clip(label, attrs);
        RnnRefusals.activationParameters(label, attrs);
        CellType cell = cell(label, op, attrs.strings("activations"), directions);
        if (op == RnnOperator.LSTM) {
            RnnRefusals.inputForget(label, attrs.integer("input_forget", 0));
        }
        if (op == RnnOperator.GRU) {
            RnnRefusals.linearBeforeReset(label, attrs.integer("linear_before_reset", 0));
        }
        return new RecurrentNode(label, op, cell, directions, (int) hidden, layout == 1);
    }

    /** The cell its activations name: the operator's defaults, or Relu for an RNN (in every direction). */
    private static CellType cell(NodeLabel label, RnnOperator op, List<String> given, int directions) {
        List<String> defaults = op.defaultActivations();
        if (given == null || given.isEmpty()) {
            return op == RnnOperator.LSTM ? CellType.LSTM : op == RnnOperator.GRU ? CellType.GRU : CellType.RNN_TANH;
        }
        List<String> lower = new ArrayList<>();
        for (String s : given) {
            lower.add(s.toLowerCase(Locale.ROOT));
        }
        if (op == RnnOperator.RNN) {
            String first = lower.get(0);
            if (lower.size() == directions && lower.stream().allMatch(first::equals)
                    && (first.equals("tanh") || first.equals("relu"))) {
                return first.equals("tanh") ? CellType.RNN_TANH : CellType.RNN_RELU;
            }
            throw RnnRefusals.activations(label, given, "Recur's RNN computes Tanh or Relu, the same in every "
                    + "direction");
        }
        List<String> expected = new ArrayList<>();
        for (int d = 0; d < directions; d++) {
            for (String s : defaults) {
                expected.add(s.toLowerCase(Locale.ROOT));
            }
        }
        if (!lower.equals(expected)) {
            throw RnnRefusals.activations(label, given, "Recur's " + op + " computes " + defaults
                    + " in each direction");
        }
        return op == RnnOperator.LSTM ? CellType.LSTM : CellType.GRU;
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

    /** Whether X, Y and the states put the batch first ({@code layout=1}). */
    public boolean batchMajor() {
        return batchMajor;
    }

    /**
     * A one-layer {@code RnnLayer} holding {@code w}, {@code r} and {@code b} (null for none) restacked in
     * PyTorch's gate order under PyTorch's names; every shape is checked against the node first.
     */
    public RnnLayer layer(Value w, Value r, Value b) {
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
        RnnConfig config = new RnnConfig(cell, inputSize, h, 1, directions == 2, b != null, 0f);
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
