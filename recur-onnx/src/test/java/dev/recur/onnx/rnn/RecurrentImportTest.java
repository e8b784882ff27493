package dev.recur.onnx.rnn;

import static dev.recur.onnx.SingleNodeModels.floats;
import static dev.recur.onnx.SingleNodeModels.integer;
import static dev.recur.onnx.SingleNodeModels.model;
import static dev.recur.onnx.SingleNodeModels.real;
import static dev.recur.onnx.SingleNodeModels.string;
import static dev.recur.onnx.SingleNodeModels.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.onnx.OnnxModel;
import dev.recur.onnx.OrtRunner;
import dev.recur.onnx.graph.Value;
import dev.recur.onnx.proto.AttributeProto;
import dev.recur.onnx.proto.ModelProto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ONNX recurrent nodes written directly (not by Recur's export): what Recur computes matches ONNX Runtime on
 * the same node, and what it does not is refused in one line naming the file, the node and the attribute.
 */
class RecurrentImportTest {
    private static final Path FILE = Path.of("model.onnx");
    private static final int T = 4;
    private static final int B = 2;
    private static final int I = 3;
    private static final int H = 5;

    private final Rng rng = new Rng(3);

    private Value randn(int... shape) {
        float[] d = new float[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (0.5 * rng.nextGaussian());
        }
        return Value.floats(d, shape);
    }

    /** Feeds for an {@code op} node: X, W, R, B and whatever {@code extra} adds, in the operator's input order. */
    private Map<String, Value> feeds(RnnOperator op, int dirs, boolean batchMajor) {
        Map<String, Value> f = new LinkedHashMap<>();
        int g = op.gates();
        f.put("X", batchMajor ? randn(B, T, I) : randn(T, B, I));
        f.put("W", randn(dirs, g * H, I));
        f.put("R", randn(dirs, g * H, H));
        f.put("B", randn(dirs, 2 * g * H));
        return f;
    }

    private static ModelProto node(RnnOperator op, Map<String, Value> feeds, List<String> inputs,
                                   AttributeProto... attributes) {
        List<String> outputs = op == RnnOperator.LSTM ? List.of("Y", "Y_h", "Y_c") : List.of("Y", "Y_h");
        List<AttributeProto> all = new ArrayList<>(List.of(integer("hidden_size", H)));
        all.addAll(List.of(attributes));
        return model(14, op.name(), "rec1", feeds, inputs, outputs, List.of(), all.toArray(new AttributeProto[0]));
    }

    private static void assertMatchesOrt(ModelProto m, Map<String, Value> feeds) throws Exception {
        Map<String, Value> expected = OrtRunner.run(m, feeds);
        Map<String, Value> got = OnnxModel.of(m, FILE).run(feeds);
        assertThat(got.keySet()).containsExactlyElementsOf(expected.keySet());
        for (String name : expected.keySet()) {
            Value e = expected.get(name);
            Value a = got.get(name);
            assertThat(a.shape()).as(name).containsExactly(e.shape());
            double diff = 0;
            double ref = 0;
            for (int i = 0; i < e.size(); i++) {
                diff = Math.max(diff, Math.abs(a.floatData(name)[i] - e.floatData(name)[i]));
                ref = Math.max(ref, Math.abs(e.floatData(name)[i]));
            }
            assertThat(ref).as(name).isGreaterThan(0);
            assertThat(diff / ref).as(name + " relative error").isLessThanOrEqualTo(1e-5);
        }
    }

    @Test
    void bidirectionalLstmWithStatesZeroPeepholesAndFullLengthsMatchesOrt() throws Exception {
        Map<String, Value> f = feeds(RnnOperator.LSTM, 2, false);
        f.put("sequence_lens", Value.longs(new long[] {T, T}, B));
        f.put("initial_h", randn(2, B, H));
        f.put("initial_c", randn(2, B, H));
        f.put("P", Value.floats(new float[2 * 3 * H], 2, 3 * H));
        assertMatchesOrt(node(RnnOperator.LSTM, f, List.copyOf(f.keySet()), string("direction", "bidirectional"),
                strings("activations", "Sigmoid", "Tanh", "Tanh", "sigmoid", "tanh", "tanh")), f);
    }

    @Test
    void gruWithResetAfterTheProductMatchesOrt() throws Exception {
        Map<String, Value> f = feeds(RnnOperator.GRU, 2, false);
        f.put("sequence_lens", Value.longs(new long[] {T, T}, B));
        f.put("initial_h", randn(2, B, H));
        assertMatchesOrt(node(RnnOperator.GRU, f, List.copyOf(f.keySet()), string("direction", "bidirectional"),
                integer("linear_before_reset", 1)), f);
    }

    @Test
    void reluRnnInBothDirectionsMatchesOrt() throws Exception {
        Map<String, Value> f = feeds(RnnOperator.RNN, 2, false);
        f.put("initial_h", randn(2, B, H));
        List<String> in = List.of("X", "W", "R", "B", "", "initial_h");
        assertMatchesOrt(node(RnnOperator.RNN, f, in, string("direction", "bidirectional"),
                strings("activations", "Relu", "Relu")), f);
    }

    @Test
    void batchFirstLayoutReadsAndWritesBatchFirstStates() throws Exception {
        // ONNX Runtime's CPU kernels run layout 0 only, so the reference is the same node in layout 0.
        Map<String, Value> f = feeds(RnnOperator.LSTM, 2, false);
        f.put("sequence_lens", Value.longs(new long[] {T, T}, B));
        f.put("initial_h", randn(2, B, H));
        f.put("initial_c", randn(2, B, H));
        List<String> in = List.copyOf(f.keySet());
        Map<String, Value> seqFirst = OnnxModel.of(node(RnnOperator.LSTM, f, in,
                string("direction", "bidirectional")), FILE).run(f);
        Map<String, Value> batchFeeds = new LinkedHashMap<>(f);
        batchFeeds.put("X", transpose(f.get("X"), 1, 0, 2));
        batchFeeds.put("initial_h", transpose(f.get("initial_h"), 1, 0, 2));
        batchFeeds.put("initial_c", transpose(f.get("initial_c"), 1, 0, 2));
        Map<String, Value> batchFirst = OnnxModel.of(node(RnnOperator.LSTM, batchFeeds, in,
                string("direction", "bidirectional"), integer("layout", 1)), FILE).run(batchFeeds);
        assertThat(batchFirst.get("Y").shape()).containsExactly(B, T, 2, H);
        assertThat(batchFirst.get("Y").floatData("Y")).containsExactly(
                transpose(seqFirst.get("Y"), 2, 0, 1, 3).floatData("Y"));
        for (String state : List.of("Y_h", "Y_c")) {
            assertThat(batchFirst.get(state).shape()).containsExactly(B, 2, H);
            assertThat(batchFirst.get(state).floatData(state)).containsExactly(
                    transpose(seqFirst.get(state), 1, 0, 2).floatData(state));
        }
    }

    private static Value transpose(Value v, int... perm) {
        return dev.recur.onnx.graph.ShapeOps.permute(null, v, perm);
    }

    private void assertRefused(RnnOperator op, String message, AttributeProto... attributes) {
        Map<String, Value> f = feeds(op, 1, false);
        ModelProto m = node(op, f, List.copyOf(f.keySet()), attributes);
        assertThatThrownBy(() -> OnnxModel.of(m, FILE)).isInstanceOf(RecurException.class)
                .hasMessage("model.onnx: node 'rec1' (" + op + "): " + message);
    }

    @Test
    void refusesWhatRnnLayerDoesNotComputeWhenTheModelLoads() {
        assertRefused(RnnOperator.GRU, "attribute linear_before_reset 0 is not supported; Recur's GRU applies the "
                + "reset gate after the recurrent product (linear_before_reset=1, as PyTorch's GRU)");
        assertRefused(RnnOperator.LSTM, "attribute clip 3.0 is not supported; Recur does not clip the cell inputs",
                real("clip", 3f));
        assertRefused(RnnOperator.RNN, "attribute direction 'reverse' is not supported; Recur runs forward or "
                + "bidirectional", string("direction", "reverse"));
        assertRefused(RnnOperator.LSTM, "attribute input_forget 1 is not supported; Recur's LSTM has separate input "
                + "and forget gates", integer("input_forget", 1));
        assertRefused(RnnOperator.LSTM, "attribute activations [HardSigmoid, Tanh, Tanh] is not supported; Recur's "
                + "LSTM computes [Sigmoid, Tanh, Tanh] in each direction",
                strings("activations", "HardSigmoid", "Tanh", "Tanh"));
        assertRefused(RnnOperator.RNN, "attribute activations [Sigmoid] is not supported; Recur's RNN computes Tanh "
                + "or Relu, the same in every direction", strings("activations", "Sigmoid"));
        assertRefused(RnnOperator.GRU, "attribute activation_alpha [0.5] is not supported; Recur's Sigmoid, Tanh and "
                + "Relu take no parameters", integer("linear_before_reset", 1), floats("activation_alpha", 0.5f));
        assertRefused(RnnOperator.LSTM, "attribute 'linear_before_reset' is not one of LSTM's attributes "
                + "[activation_alpha, activation_beta, activations, clip, direction, hidden_size, input_forget, "
                + "layout]", integer("linear_before_reset", 1));
        assertRefused(RnnOperator.RNN, "attribute layout must be 0 (sequence first) or 1 (batch first), got 2",
                integer("layout", 2));
    }

    @Test
    void refusesPartialLengthsAndPeepholesWhenTheyArrive() {
        Map<String, Value> f = feeds(RnnOperator.LSTM, 1, false);
        f.put("sequence_lens", Value.longs(new long[] {T, T - 1}, B));
        OnnxModel model = OnnxModel.of(node(RnnOperator.LSTM, f, List.copyOf(f.keySet())), FILE);
        assertThatThrownBy(() -> model.run(f)).isInstanceOf(RecurException.class).hasMessage("model.onnx: node "
                + "'rec1' (LSTM): input sequence_lens [4, 3] is not supported; Recur runs every sequence for all 4 "
                + "steps");

        Map<String, Value> p = feeds(RnnOperator.LSTM, 1, false);
        p.put("sequence_lens", Value.longs(new long[] {T, T}, B));
        p.put("initial_h", randn(1, B, H));
        p.put("initial_c", randn(1, B, H));
        p.put("P", randn(1, 3 * H));
        OnnxModel peepholes = OnnxModel.of(node(RnnOperator.LSTM, p, List.copyOf(p.keySet())), FILE);
        assertThatThrownBy(() -> peepholes.run(p)).isInstanceOf(RecurException.class).hasMessage("model.onnx: node "
                + "'rec1' (LSTM): input P (peepholes) with non-zero values is not supported; Recur's LSTM has no "
                + "peephole connections");
    }

    @Test
    void refusesWeightsThatDoNotFitTheNode() {
        Map<String, Value> f = feeds(RnnOperator.GRU, 1, false);
        f.put("R", randn(1, 3 * H, H + 1));
        OnnxModel model = OnnxModel.of(node(RnnOperator.GRU, f, List.copyOf(f.keySet()),
                integer("linear_before_reset", 1)), FILE);
        assertThatThrownBy(() -> model.run(f)).isInstanceOf(RecurException.class).hasMessage("model.onnx: node "
                + "'rec1' (GRU): input R expected float [1, 15, 5], got float [1, 15, 6]");
    }

    @Test
    void refusesOperatorsAndDomainsItDoesNotRun() {
        Map<String, Value> f = new LinkedHashMap<>();
        f.put("x", randn(2, 2));
        ModelProto m = model(17, "Softmax", "sm", f, List.of("x"), List.of("y"), List.of());
        assertThatThrownBy(() -> OnnxModel.of(m, FILE)).isInstanceOf(RecurException.class)
                .hasMessageStartingWith("model.onnx: node 'sm' (Softmax): operator Softmax is not supported; Recur "
                        + "runs Add, Cast, Concat, Constant, Div, Exp, GRU, Gather, Gemm");
        ModelProto foreign = m.toBuilder().setGraph(m.getGraph().toBuilder().setNode(0,
                m.getGraph().getNode(0).toBuilder().setOpType("Relu").setDomain("com.microsoft"))).build();
        assertThatThrownBy(() -> OnnxModel.of(foreign, FILE)).isInstanceOf(RecurException.class)
                .hasMessage("model.onnx: node 'sm' (Relu): operator domain 'com.microsoft' is not supported; Recur "
                        + "runs the default ONNX domain");
    }
}
