package dev.recur.onnx.rnn;

import static dev.recur.onnx.SingleNodeModels.floats;
import static dev.recur.onnx.SingleNodeModels.integer;
import static dev.recur.onnx.SingleNodeModels.model;
import static dev.recur.onnx.SingleNodeModels.real;
import static dev.recur.onnx.SingleNodeModels.string;
import static dev.recur.onnx.SingleNodeModels.strings;
import static dev.recur.onnx.rnn.RecurrentNodes.FILE;
import static dev.recur.onnx.rnn.RecurrentNodes.assertMatchesOrt;
import static dev.recur.onnx.rnn.RecurrentNodes.node;
import static dev.recur.onnx.rnn.RecurrentNodes.transpose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.onnx.OnnxModel;
import dev.recur.onnx.graph.Value;
import dev.recur.onnx.proto.AttributeProto;
import dev.recur.onnx.proto.ModelProto;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ONNX recurrent nodes written directly (not by Recur's export) in PyTorch's terms: what Recur computes matches
 * ONNX Runtime on the same node, and what ONNX does not allow or Recur does not compute is refused in one line
 * naming the file, the node and the attribute or input. {@link RecurrentVariantImportTest} covers ONNX's own
 * variants.
 */
class RecurrentImportTest {
    private static final int T = 4;
    private static final int B = 2;
    private static final int H = RecurrentNodes.H;

    private final RecurrentNodes nodes = new RecurrentNodes(3, T, B);

    private Value randn(int... shape) {
        return nodes.randn(shape);
    }

    private Map<String, Value> feeds(RnnOperator op, int dirs, boolean batchMajor) {
        return nodes.feeds(op, dirs, batchMajor);
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

    private void assertRefused(RnnOperator op, String message, AttributeProto... attributes) {
        Map<String, Value> f = feeds(op, 1, false);
        ModelProto m = node(op, f, List.copyOf(f.keySet()), attributes);
        assertThatThrownBy(() -> OnnxModel.of(m, FILE)).isInstanceOf(RecurException.class)
                .hasMessage("model.onnx: node 'rec1' (" + op + "): " + message);
    }

    @Test
    void refusesWhatOnnxDoesNotAllowOrRecurDoesNotComputeWhenTheModelLoads() {
        assertRefused(RnnOperator.LSTM, "attribute clip 0.0 must be positive (pre-activations are clamped to "
                + "[-clip, clip])", real("clip", 0f));
        assertRefused(RnnOperator.GRU, "attribute clip -1.0 must be positive (pre-activations are clamped to "
                + "[-clip, clip])", real("clip", -1f));
        assertRefused(RnnOperator.RNN, "attribute direction 'backward' is not forward, reverse or bidirectional",
                string("direction", "backward"));
        assertRefused(RnnOperator.LSTM, "attribute input_forget must be 0 or 1, got 2", integer("input_forget", 2));
        assertRefused(RnnOperator.GRU, "attribute linear_before_reset must be 0 or 1, got -1",
                integer("linear_before_reset", -1));
        assertRefused(RnnOperator.LSTM, "attribute activations [HardSigmoid, Tanh, Tanh] is not supported: "
                + "'HardSigmoid' is not one of the functions Recur computes (Sigmoid, Tanh, Relu)",
                strings("activations", "HardSigmoid", "Tanh", "Tanh"));
        assertRefused(RnnOperator.RNN, "attribute activations [LeakyRelu] is not supported: 'LeakyRelu' is not one "
                + "of the functions Recur computes (Sigmoid, Tanh, Relu)", strings("activations", "LeakyRelu"),
                floats("activation_alpha", 0.1f));
        assertRefused(RnnOperator.GRU, "attribute activations [Sigmoid, Tanh, Tanh] has 3 functions; GRU takes 2 per "
                + "direction", strings("activations", "Sigmoid", "Tanh", "Tanh"));
        assertRefused(RnnOperator.LSTM, "attribute 'linear_before_reset' is not one of LSTM's attributes "
                + "[activation_alpha, activation_beta, activations, clip, direction, hidden_size, input_forget, "
                + "layout]", integer("linear_before_reset", 1));
        assertRefused(RnnOperator.RNN, "attribute layout must be 0 (sequence first) or 1 (batch first), got 2",
                integer("layout", 2));
    }

    @Test
    void refusesLengthsAndPeepholesThatDoNotFitWhenTheyArrive() {
        Map<String, Value> f = feeds(RnnOperator.LSTM, 1, false);
        f.put("sequence_lens", Value.longs(new long[] {T, T + 1}, B));
        OnnxModel model = OnnxModel.of(node(RnnOperator.LSTM, f, List.copyOf(f.keySet())), FILE);
        assertThatThrownBy(() -> model.run(f)).isInstanceOf(RecurException.class).hasMessage("model.onnx: node "
                + "'rec1' (LSTM): input sequence_lens [4, 5] has 5 at row 1, outside [0, 4] (the sequence length)");

        Map<String, Value> p = feeds(RnnOperator.LSTM, 1, false);
        p.put("sequence_lens", Value.longs(new long[] {T, T}, B));
        p.put("initial_h", randn(1, B, H));
        p.put("initial_c", randn(1, B, H));
        p.put("P", randn(1, 4 * H));
        OnnxModel peepholes = OnnxModel.of(node(RnnOperator.LSTM, p, List.copyOf(p.keySet())), FILE);
        assertThatThrownBy(() -> peepholes.run(p)).isInstanceOf(RecurException.class).hasMessage("model.onnx: node "
                + "'rec1' (LSTM): input P expected float [1, 15], got float [1, 20]");
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
