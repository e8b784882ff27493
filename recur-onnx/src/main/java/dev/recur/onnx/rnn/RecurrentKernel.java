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
 *
 * <p>{@code sequence_lens} run as the layer's variable-length batches, which compute what ONNX (and ONNX Runtime)
 * define: {@code Y} is zero past each row's length, {@code Y_h} and {@code Y_c} are the states after each row's last
 * valid step, and a reverse direction starts at the row's last valid position and ends at its first. A row of
 * length 0 takes no step: its {@code Y}, {@code Y_h} and {@code Y_c} are zero, as ONNX Runtime gives them. A
 * {@code reverse} node runs a forward layer over each row reversed within its length, and reverses the output back.
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
    private record Built(Value w, Value r, Value b, Value p, RnnLayer layer) {}

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
                Inputs.optional(in, B), node.op() == RnnOperator.LSTM ? Inputs.optional(in, P) : null);
        if (layer.config().inputSize() != xs.dim(2)) {
            throw label.error("input X has " + xs.dim(2) + " features, W expects " + layer.config().inputSize());
        }
        Value lengthsIn = Inputs.optional(in, SEQUENCE_LENS);
        int[] lengths = lengthsIn == null ? null : RnnRefusals.sequenceLengths(label, lengthsIn, batch, steps);
        int[] running = lengths == null ? null : lengths.clone(); // a row of length 0 runs one step, then is zeroed
        if (running != null) {
            for (int b = 0; b < batch; b++) {
                running[b] = Math.max(running[b], 1);
            }
        }
        int hidden = layer.config().hiddenSize();
        int dirs = node.directions();
        Tensor h0 = state(Inputs.optional(in, INITIAL_H), "initial_h", batch, hidden);
        Tensor c0 = node.op() == RnnOperator.LSTM ? state(Inputs.optional(in, INITIAL_C), "initial_c", batch, hidden)
                : null;
        if (node.reverse()) {
            xs = Tensor.of(reverseRows(xs.data(), batch, steps, xs.dim(2), running), batch, steps, xs.dim(2));
        }
        RnnOutput out;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            RnnState start = h0 == null && c0 == null ? null : new RnnState(
                    h0 != null ? h0 : Tensor.zeros(dirs, batch, hidden),
                    node.op() == RnnOperator.LSTM ? (c0 != null ? c0 : Tensor.zeros(dirs, batch, hidden)) : null);
            out = layer.forward(xs, running, start);
        }
        float[] yData = out.output().data();
        if (node.reverse()) {
            yData = reverseRows(yData, batch, steps, dirs * hidden, running);
        }
        float[] hData = out.state().h().data();
        float[] cData = out.state().c() == null ? null : out.state().c().data();
        if (lengths != null) {
            zeroEmptyRows(lengths, steps, dirs * hidden, yData, hData, cData, hidden);
        }
        Value y = Value.floats(yData, batch, steps, dirs, hidden);
        Value[] results = new Value[node.op().outputs().size()];
        results[0] = node.batchMajor() ? y : ShapeOps.permute(label, y, new int[] {1, 2, 0, 3});
        results[1] = stateOut(Value.floats(hData, dirs, batch, hidden));
        if (node.op() == RnnOperator.LSTM) {
            results[2] = stateOut(Value.floats(cData, dirs, batch, hidden));
        }
        return results;
    }

    /**
     * {@code v [B, T, width]} with each row's first {@code lengths[b]} positions in reverse order (all {@code T}
     * without lengths); the positions past a row's length stay where they are.
     */
    private static float[] reverseRows(float[] v, int batch, int steps, int width, int[] lengths) {
        float[] out = v.clone();
        for (int b = 0; b < batch; b++) {
            int length = lengths == null ? steps : lengths[b];
            for (int t = 0; t < length; t++) {
                System.arraycopy(v, (b * steps + length - 1 - t) * width, out, (b * steps + t) * width, width);
            }
        }
        return out;
    }

    /** Zeroes the outputs {@code y [B, T, width]} and the states {@code [dirs, B, H]} of the rows of length 0. */
    private static void zeroEmptyRows(int[] lengths, int steps, int width, float[] y, float[] h, float[] c,
                                      int hidden) {
        int batch = lengths.length;
        for (int b = 0; b < batch; b++) {
            if (lengths[b] != 0) {
                continue;
            }
            Arrays.fill(y, b * steps * width, (b + 1) * steps * width, 0f);
            for (int d = 0; d < h.length / (batch * hidden); d++) {
                int off = (d * batch + b) * hidden;
                Arrays.fill(h, off, off + hidden, 0f);
                if (c != null) {
                    Arrays.fill(c, off, off + hidden, 0f);
                }
            }
        }
    }

    private RnnLayer layer(Value w, Value r, Value b, Value p) {
        Built last = built;
        if (last == null || last.w() != w || last.r() != r || last.b() != b || last.p() != p) {
            last = new Built(w, r, b, p, node.layer(w, r, b, p));
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

    private Value stateOut(Value v) {
        return node.batchMajor() ? ShapeOps.permute(node.label(), v, new int[] {1, 0, 2}) : v;
    }
}
