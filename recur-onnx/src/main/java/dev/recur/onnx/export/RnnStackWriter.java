package dev.recur.onnx.export;

import dev.recur.core.tensor.Tensor;
import dev.recur.layers.rnn.Activation;
import dev.recur.layers.rnn.CellType;
import dev.recur.layers.rnn.CellVariant;
import dev.recur.layers.rnn.RnnConfig;
import dev.recur.layers.rnn.RnnLayer;
import dev.recur.onnx.graph.Value;
import dev.recur.onnx.proto.AttributeProto;
import dev.recur.onnx.rnn.GateOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the layers of an {@link RnnLayer} as ONNX recurrent nodes, one per layer ({@code LSTM}, {@code GRU}
 * or {@code RNN}, both directions in one node when bidirectional), with {@code layout=0} (sequence first):
 * <ul>
 *   <li>{@code W}, {@code R}, {@code B} per layer: PyTorch's {@code weight_ih}, {@code weight_hh},
 *       {@code bias_ih ++ bias_hh} restacked in ONNX's gate order ({@link GateOrder}), the reverse direction
 *       second;</li>
 *   <li>a GRU gets {@code linear_before_reset=1} (PyTorch's reset gate); a ReLU RNN gets
 *       {@code activations=["Relu", ...]};</li>
 *   <li>a {@link CellVariant} writes what ONNX names it: {@code linear_before_reset=0}, {@code clip},
 *       {@code input_forget=1}, {@code activations} (for every direction), and the peepholes as input {@code P}
 *       ({@code [dirs, 3H]}, ONNX's order {@code p_i, p_o, p_f});</li>
 *   <li>the initial states, when given, are sliced per layer from {@code [layers*dirs, B, H]} and the final
 *       ones concatenated back;</li>
 *   <li>between layers, {@code Y [T, dirs, B, H]} becomes the next layer's {@code X [T, B, dirs*H]} by a
 *       Transpose and a Reshape.</li>
 * </ul>
 */
final class RnnStackWriter {
    /** The names the stack's results have in the graph. */
    record Result(String lastY, String hN, String cN) {}

    private RnnStackWriter() {}

    /**
     * Adds the stack reading {@code x [T, B, I]} from the states {@code h0}, {@code c0} (graph value names, or
     * null to start from zeros) and names the final states {@code hName}, {@code cName}; {@code prefix} starts
     * every initializer and node name.
     */
    static Result write(GraphBuilder g, RnnLayer layer, String prefix, String x, String h0, String c0,
                        String hName, String cName) {
        RnnConfig config = layer.config();
        CellType cell = config.cell();
        boolean lstm = cell.hasCellState();
        String op = cell.torchModule();
        int dirs = config.directions();
        int hidden = config.hiddenSize();
        List<String> hs = new ArrayList<>();
        List<String> cs = new ArrayList<>();
        String in = x;
        String y = null;
        for (int l = 0; l < config.numLayers(); l++) {
            String w = g.initializer(prefix + "W_l" + l, stacked(layer, cell, "weight_ih", l, dirs, hidden,
                    config.layerInputSize(l)));
            String r = g.initializer(prefix + "R_l" + l, stacked(layer, cell, "weight_hh", l, dirs, hidden, hidden));
            String b = config.bias() ? g.initializer(prefix + "B_l" + l, biases(layer, cell, l, dirs, hidden)) : "";
            String h = h0 == null ? "" : layerRows(g, config, h0, prefix + "h0_l" + l, l);
            String c = c0 == null || !lstm ? "" : layerRows(g, config, c0, prefix + "c0_l" + l, l);
            String p = config.variant().peepholes() ? g.initializer(prefix + "P_l" + l, peepholes(layer, l, dirs,
                    hidden)) : "";
            y = g.fresh(prefix + "Y_l" + l);
            String yh = config.numLayers() == 1 ? hName : g.fresh(prefix + "Y_h_l" + l);
            String yc = !lstm ? null : config.numLayers() == 1 ? cName : g.fresh(prefix + "Y_c_l" + l);
            List<String> inputs = new ArrayList<>(List.of(in, w, r, b, "", h));
            if (lstm) {
                inputs.add(c);
                inputs.add(p);
            }
            while (inputs.get(inputs.size() - 1).isEmpty()) {
                inputs.remove(inputs.size() - 1);
            }
            List<String> outputs = lstm ? List.of(y, yh, yc) : List.of(y, yh);
            g.node(op, g.fresh(prefix + op.toLowerCase(Locale.ROOT) + "_l" + l), inputs, outputs,
                    attributes(cell, config.variant(), hidden, dirs));
            hs.add(yh);
            if (lstm) {
                cs.add(yc);
            }
            if (l + 1 < config.numLayers()) {
                in = flatten(g, y, false, dirs * hidden, prefix + "X_l" + (l + 1));
            }
        }
        if (config.numLayers() > 1) {
            g.node("Concat", g.fresh(prefix + "concat_h_n"), hs, List.of(hName), GraphBuilder.integer("axis", 0));
            if (lstm) {
                g.node("Concat", g.fresh(prefix + "concat_c_n"), cs, List.of(cName), GraphBuilder.integer("axis", 0));
            }
        }
        return new Result(y, hName, lstm ? cName : null);
    }

    /**
     * {@code y [T, dirs, B, H]} as {@code [B, T, dirs*H]} when {@code batchFirst}, else {@code [T, B, dirs*H]}:
     * a Transpose, then a Reshape whose zeros keep the first two sizes.
     */
    static String flatten(GraphBuilder g, String y, boolean batchFirst, int width, String stem) {
        long[] perm = batchFirst ? new long[] {2, 0, 1, 3} : new long[] {0, 2, 1, 3};
        String moved = g.apply("Transpose", stem + "_transposed", List.of(y), GraphBuilder.ints("perm", perm));
        String shape = g.int64s(stem + "_shape", 0, 0, width);
        return g.apply("Reshape", stem, List.of(moved, shape));
    }

    /** Rows {@code [l*dirs, (l+1)*dirs)} of a state {@code [layers*dirs, B, H]}: the state itself for one layer. */
    private static String layerRows(GraphBuilder g, RnnConfig config, String state, String stem, int l) {
        if (config.numLayers() == 1) {
            return state;
        }
        int dirs = config.directions();
        return g.apply("Slice", stem, List.of(state, g.int64s(stem + "_start", l * dirs),
                g.int64s(stem + "_end", (l + 1) * dirs), g.int64s(stem + "_axes", 0)));
    }

    private static AttributeProto[] attributes(CellType cell, CellVariant variant, int hidden, int dirs) {
        List<AttributeProto> a = new ArrayList<>();
        a.add(GraphBuilder.integer("hidden_size", hidden));
        a.add(GraphBuilder.string("direction", dirs == 2 ? "bidirectional" : "forward"));
        if (cell == CellType.GRU) {
            a.add(GraphBuilder.integer("linear_before_reset", variant.linearBeforeReset() ? 1 : 0));
        }
        if (variant.coupledInputForget()) {
            a.add(GraphBuilder.integer("input_forget", 1));
        }
        if (variant.clips()) {
            a.add(GraphBuilder.real("clip", variant.clip()));
        }
        List<Activation> functions = variant.activations().isEmpty() && cell == CellType.RNN_RELU
                ? List.of(Activation.RELU) : variant.activations();
        if (!functions.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (int d = 0; d < dirs; d++) {
                int count = CellVariant.activationCount(cell);
                List<Activation> own = functions.size() == count ? functions
                        : functions.subList(d * count, (d + 1) * count);
                own.forEach(f -> names.add(f.onnxName()));
            }
            a.add(GraphBuilder.strings("activations", names));
        }
        return a.toArray(new AttributeProto[0]);
    }

    /** {@code [dirs, 3H]}: the layer's peepholes of each direction in ONNX's order ({@code p_i, p_o, p_f}). */
    private static Value peepholes(RnnLayer layer, int l, int dirs, int hidden) {
        float[] out = new float[dirs * 3 * hidden];
        for (int d = 0; d < dirs; d++) {
            Tensor t = layer.parameter("peephole_l" + l + (d == 1 ? "_reverse" : ""));
            System.arraycopy(GateOrder.peepholesToOnnx(t.data(), hidden), 0, out, d * 3 * hidden, 3 * hidden);
        }
        return Value.floats(out, dirs, 3 * hidden);
    }

    /** {@code [dirs, G*H, cols]}: the layer's {@code name} weight of each direction in ONNX's gate order. */
    private static Value stacked(RnnLayer layer, CellType cell, String name, int l, int dirs, int hidden, int cols) {
        int rows = cell.gates() * hidden;
        float[] out = new float[dirs * rows * cols];
        for (int d = 0; d < dirs; d++) {
            Tensor t = layer.parameter(name + "_l" + l + (d == 1 ? "_reverse" : ""));
            System.arraycopy(GateOrder.toOnnx(cell, t.data(), hidden, cols), 0, out, d * rows * cols, rows * cols);
        }
        return Value.floats(out, dirs, rows, cols);
    }

    /** {@code [dirs, 2*G*H]}: each direction's input bias then recurrent bias, in ONNX's gate order. */
    private static Value biases(RnnLayer layer, CellType cell, int l, int dirs, int hidden) {
        int rows = cell.gates() * hidden;
        float[] out = new float[dirs * 2 * rows];
        for (int d = 0; d < dirs; d++) {
            String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
            float[] ih = GateOrder.toOnnx(cell, layer.parameter("bias_ih" + suffix).data(), hidden, 1);
            float[] hh = GateOrder.toOnnx(cell, layer.parameter("bias_hh" + suffix).data(), hidden, 1);
            System.arraycopy(ih, 0, out, d * 2 * rows, rows);
            System.arraycopy(hh, 0, out, d * 2 * rows + rows, rows);
        }
        return Value.floats(out, dirs, 2 * rows);
    }
}
