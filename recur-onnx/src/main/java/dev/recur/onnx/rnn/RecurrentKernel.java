package dev.recur.onnx.rnn;

import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.rnn.RnnLayer;
import dev.recur.layers.rnn.RnnOutput;
import dev.recur.layers.rnn.RnnState;
import dev.recur.onnx.graph.Inputs;
import dev.recur.onnx.graph.NodeKernel;
import dev.recur.onnx.graph.NodeLabel;
import dev.recur.onnx.graph.OpFactory;
import dev.recur.onnx.graph.ShapeOps;
import dev.recur.onnx.graph.Value;
import java.util.Arrays;

/**
 * Runs an ONNX recurrent node with Recur's {@code RnnLayer}: {@code X} is brought to batch-first
 * {@code [B, T, I]}, the states to {@code [dirs, B, H]}, and the layer's output {@code [B, T, dirs*H]} back to
 * ONNX's {@code Y [T, dirs, B, H]} ({@code [B, T, dirs, H]} with {@code layout=1}); {@code Y_h} and {@code Y_c}
 * are the final states ({@code [B, dirs, H]} with {@code layout=1}).
 */
public final class RecurrentKernel implements NodeKernel {
    private static final int X = 0;
    private static final int W = 1;
    private static final int R = 2;
    private static final int B = 3;
    private static final int SEQUENCE_LENS = 4;
    private static final int INITIAL_H = 5;
    private static final int INITIAL_C = 6;
    private static final int P = 7;

    /** The layer built from the last weights seen, reused while they are the same values (initializers). */
    private record Built(Value w, Value r, Value b, RnnLayer layer) {}

    private final RecurrentNode node;
    private volatile Built built;

    public RecurrentKernel(RecurrentNode node) {
        this.node = node;
    }

    /** The factory for one of the three operators. */
    public static OpFactory factory(RnnOperator op) {
        return (proto, label, opset) -> new RecurrentKernel(RecurrentNode.parse(proto, label, op));
    }

    @Override
    public Value[] run(Value[] in) {
        NodeLabel label = node.label();
        Value x = Inputs.required(label, in, X, "X");
        if (!x.isFloat() || x.rank() != 3 || x.dim(0) == 0 || x.dim(1) == 0) {
            throw label.error("input X expected a float tensor [" + (node.batchMajor() ? "batch, seq" : "seq, batch")
                    + ", input] with non-zero sizes, got " + x.describe());
        }
        Tensor xs = x.toTensor("X");
        if (!node.batchMajor()) {
            xs = ShapeOps.permute(label, x, new int[] {1, 0, 2}).toTensor("X");
        }
        int batch = xs.dim(0);
        int steps = xs.dim(1);
        RnnLayer layer = layer(Inputs.required(label, in, W, "W"), Inputs.required(label, in, R, "R"),
                Inputs.optional(in, B));
        if (layer.config().inputSize() != xs.dim(2)) {
            throw label.error("input X has " + xs.dim(2) + " features, W expects " + layer.config().inputSize());
        }
        Value lengths = Inputs.optional(in, SEQUENCE_LENS);
        if (lengths != null) {
            RnnRefusals.sequenceLengths(label, lengths, batch, steps);
        }
        if (node.op() == RnnOperator.LSTM && Inputs.optional(in, P) != null) {
            RnnRefusals.peepholes(label, Inputs.optional(in, P));
        }
        int hidden = layer.config().hiddenSize();
        int dirs = node.directions();
        Tensor h0 = state(Inputs.optional(in, INITIAL_H), "initial_h", batch, hidden);
        Tensor c0 = node.op() == RnnOperator.LSTM ? state(Inputs.optional(in, INITIAL_C), "initial_c", batch, hidden)
                : null;
        RnnOutput out;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            RnnState start = h0 == null && c0 == null ? null : new RnnState(
                    h0 != null ? h0 : Tensor.zeros(dirs, batch, hidden),
                    node.op() == RnnOperator.LSTM ? (c0 != null ? c0 : Tensor.zeros(dirs, batch, hidden)) : null);
            out = layer.forward(xs, start);
        }
        Value y = Value.of(out.output()).reshaped(batch, steps, dirs, hidden);
        Value[] results = new Value[node.op().outputs().size()];
        results[0] = node.batchMajor() ? y : ShapeOps.permute(label, y, new int[] {1, 2, 0, 3});
        results[1] = stateOut(out.state().h());
        if (node.op() == RnnOperator.LSTM) {
            results[2] = stateOut(out.state().c());
        }
        return results;
    }

    private RnnLayer layer(Value w, Value r, Value b) {
        Built last = built;
        if (last == null || last.w() != w || last.r() != r || last.b() != b) {
            last = new Built(w, r, b, node.layer(w, r, b));
            built = last;
        }
        return last.layer();
    }

    /** A state input as {@code [dirs, B, H]}, or null when left out. */
    private Tensor state(Value v, String name, int batch, int hidden) {
        if (v == null) {
            return null;
        }
        int dirs = node.directions();
        int[] want = node.batchMajor() ? new int[] {batch, dirs, hidden} : new int[] {dirs, batch, hidden};
        if (!v.isFloat() || !Arrays.equals(v.shape(), want)) {
            throw node.label().error("input " + name + " expected float " + Arrays.toString(want) + ", got "
                    + v.describe());
        }
        Value v3 = node.batchMajor() ? ShapeOps.permute(node.label(), v, new int[] {1, 0, 2}) : v;
        return v3.toTensor(name);
    }

    private Value stateOut(Tensor t) {
        Value v = Value.of(t);
        return node.batchMajor() ? ShapeOps.permute(node.label(), v, new int[] {1, 0, 2}) : v;
    }
}
