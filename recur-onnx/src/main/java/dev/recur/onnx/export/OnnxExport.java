package dev.recur.onnx.export;

import dev.recur.core.io.AtomicFiles;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.rnn.CellType;
import dev.recur.layers.rnn.RnnConfig;
import dev.recur.layers.rnn.RnnLayer;
import dev.recur.layers.rnn.bytelm.ByteLstmConfig;
import dev.recur.layers.rnn.bytelm.ByteLstmLm;
import dev.recur.onnx.graph.Value;
import dev.recur.onnx.proto.GraphProto;
import dev.recur.onnx.proto.ModelProto;
import dev.recur.onnx.proto.OperatorSetIdProto;
import dev.recur.onnx.proto.TensorProto.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes Recur models as ONNX graphs of the standard {@code LSTM}, {@code GRU} and {@code RNN} operators, which
 * any ONNX runtime runs. Graph inputs and outputs ({@code B} batch, {@code T} steps, {@code L*D} layers times
 * directions, symbolic sizes named {@code batch} and {@code seq}):
 * <ul>
 *   <li>a PyTorch-style RNN ({@link #rnn}): {@code input [B, T, I]} ({@code [T, B, I]} when not batch-first),
 *       {@code h0 [L*D, B, H]}, {@code c0} (LSTM) in; {@code output [B, T, D*H]} ({@code [T, B, D*H]}),
 *       {@code h_n [L*D, B, H]}, {@code c_n} (LSTM) out, as PyTorch's module takes and returns them;</li>
 *   <li>a byte LSTM language model ({@link #byteLstm}): {@code input_ids} (int64) {@code [B, T]}, {@code h0},
 *       {@code c0} {@code [L, B, H]} in; {@code logits [B, T, 256]}, {@code h_n}, {@code c_n} out.</li>
 * </ul>
 * Without state inputs ({@link ExportOptions#stateInputs()}) every sequence starts from zeros.
 */
public final class OnnxExport {
    private static final String PRODUCER = "recur";

    private OnnxExport() {}

    /** The graph of a PyTorch-convention {@code nn.RNN}/{@code nn.LSTM}/{@code nn.GRU} held by {@code layer}. */
    public static ModelProto rnn(RnnLayer layer, boolean batchFirst, ExportOptions options) {
        RnnConfig c = layer.config();
        boolean lstm = c.cell().hasCellState();
        GraphBuilder g = new GraphBuilder("recur_" + c.cell().label());
        Object[] xDims = batchFirst ? new Object[] {"batch", "seq", c.inputSize()}
                : new Object[] {"seq", "batch", c.inputSize()};
        Object[] yDims = batchFirst ? new Object[] {"batch", "seq", c.outputSize()}
                : new Object[] {"seq", "batch", c.outputSize()};
        Object[] stateDims = {c.stateRows(), "batch", c.hiddenSize()};
        g.input("input", DataType.FLOAT, xDims);
        String h0 = null;
        String c0 = null;
        if (options.stateInputs()) {
            g.input("h0", DataType.FLOAT, stateDims);
            h0 = "h0";
            if (lstm) {
                g.input("c0", DataType.FLOAT, stateDims);
                c0 = "c0";
            }
        }
        String x = batchFirst ? g.apply("Transpose", "input_seq_first", List.of("input"),
                GraphBuilder.ints("perm", 1, 0, 2)) : "input";
        RnnStackWriter.Result r = RnnStackWriter.write(g, layer, "", x, h0, c0, "h_n", "c_n");
        RnnStackWriter.flatten(g, r.lastY(), batchFirst, c.outputSize(), "output");
        g.output("output", DataType.FLOAT, yDims);
        g.output("h_n", DataType.FLOAT, stateDims);
        if (lstm) {
            g.output("c_n", DataType.FLOAT, stateDims);
        }
        String what = "PyTorch " + c.cell().torchModule() + "(" + c.inputSize() + ", " + c.hiddenSize()
                + ", num_layers=" + c.numLayers() + (c.bidirectional() ? ", bidirectional=True" : "")
                + (c.bias() ? "" : ", bias=False") + (c.cell() == CellType.RNN_RELU
                ? ", nonlinearity='relu'" : "") + (batchFirst ? ", batch_first=True" : "") + ")"
                + (c.variant().isNone() ? "" : " with " + c.variant());
        return model(g.build(), what, options);
    }

    /**
     * The graph of a byte LSTM language model: Gather for the embedding, the LSTM layers, the RMSNorm as
     * {@code x / sqrt(mean(x^2) + eps) * w} (ReduceMean, Add, Sqrt, Div, Mul) and the head as MatMul + Add.
     */
    public static ModelProto byteLstm(ByteLstmLm lm, ExportOptions options) {
        ByteLstmConfig c = lm.config();
        Map<String, Tensor> p = lm.parameters();
        int v = ByteLstmConfig.VOCAB_SIZE;
        int hidden = c.hiddenSize();
        GraphBuilder g = new GraphBuilder("recur_lstm");
        Object[] stateDims = {c.numLayers(), "batch", hidden};
        g.input("input_ids", DataType.INT64, "batch", "seq");
        String h0 = null;
        String c0 = null;
        if (options.stateInputs()) {
            g.input("h0", DataType.FLOAT, stateDims);
            g.input("c0", DataType.FLOAT, stateDims);
            h0 = "h0";
            c0 = "c0";
        }
        String table = g.initializer("embedding.weight", Value.of(p.get("embedding.weight")));
        String embedded = g.apply("Gather", "embedded", List.of(table, "input_ids"), GraphBuilder.integer("axis", 0));
        String x = g.apply("Transpose", "embedded_seq_first", List.of(embedded), GraphBuilder.ints("perm", 1, 0, 2));
        RnnLayer layer = new RnnLayer(RnnConfig.lstm(c.embedSize(), hidden).withLayers(c.numLayers()),
                new Rng(0));
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String name : layer.config().parameterNames()) {
            state.put(name, p.get("lstm." + name));
        }
        layer.loadStateDict(state);
        RnnStackWriter.Result r = RnnStackWriter.write(g, layer, "lstm.", x, h0, c0, "h_n", "c_n");
        String y = RnnStackWriter.flatten(g, r.lastY(), true, hidden, "lstm_output");
        if (c.norm()) {
            y = rmsNorm(g, y, p.get("norm.weight"), c.normEps(), options.opset());
        }
        Tensor headWeight = p.get("head.weight");                                          // [256, H]
        String wT = g.initializer("head.weight_transposed", Value.of(transpose(headWeight)));
        String projected = g.apply("MatMul", "head_matmul", List.of(y, wT));
        String bias = g.initializer("head.bias", Value.of(p.get("head.bias")));
        g.node("Add", "logits", List.of(projected, bias), List.of("logits"));
        g.output("logits", DataType.FLOAT, "batch", "seq", v);
        g.output("h_n", DataType.FLOAT, stateDims);
        g.output("c_n", DataType.FLOAT, stateDims);
        String what = ByteLstmConfig.MODEL_TYPE + " (byte LSTM LM, embed " + c.embedSize() + ", hidden " + hidden
                + ", " + c.numLayers() + (c.numLayers() == 1 ? " layer" : " layers") + (c.norm() ? ", RMSNorm" : "")
                + ")";
        return model(g.build(), what, options);
    }

    /** Writes {@code model} to {@code file} atomically (a temporary file moved into place). */
    public static void write(ModelProto model, Path file) throws IOException {
        AtomicFiles.write(file, model.toByteArray());
    }

    /** {@code y / sqrt(mean(y^2, last axis) + eps) * weight}; ReduceMean's axes became an input in opset 18. */
    private static String rmsNorm(GraphBuilder g, String y, Tensor weight, float eps, int opset) {
        String squared = g.apply("Mul", "norm_squared", List.of(y, y));
        String mean = opset >= 18
                ? g.apply("ReduceMean", "norm_mean", List.of(squared, g.int64s("norm_axes", -1)),
                        GraphBuilder.integer("keepdims", 1))
                : g.apply("ReduceMean", "norm_mean", List.of(squared), GraphBuilder.ints("axes", -1),
                        GraphBuilder.integer("keepdims", 1));
        String epsilon = g.initializer("norm.eps", Value.floats(new float[] {eps}));
        String root = g.apply("Sqrt", "norm_rms", List.of(g.apply("Add", "norm_mean_eps", List.of(mean, epsilon))));
        String normalised = g.apply("Div", "norm_normalised", List.of(y, root));
        String w = g.initializer("norm.weight", Value.of(weight));
        return g.apply("Mul", "norm_output", List.of(normalised, w));
    }

    private static Tensor transpose(Tensor t) {
        int rows = t.dim(0);
        int cols = t.dim(1);
        float[] d = t.data();
        float[] out = new float[d.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[j * rows + i] = d[i * cols + j];
            }
        }
        return Tensor.of(out, cols, rows);
    }

    private static ModelProto model(GraphProto graph, String what, ExportOptions options) {
        String version = OnnxExport.class.getPackage().getImplementationVersion();
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(options.irVersion()).setProducerName(PRODUCER)
                .setDocString("Exported by Recur from " + what + ".").setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(options.opset()));
        if (version != null) {
            m.setProducerVersion(version);
        }
        return m.build();
    }
}
