package dev.recur.onnx.rnn;

import static dev.recur.onnx.SingleNodeModels.floats;
import static dev.recur.onnx.SingleNodeModels.integer;
import static dev.recur.onnx.SingleNodeModels.real;
import static dev.recur.onnx.SingleNodeModels.string;
import static dev.recur.onnx.SingleNodeModels.strings;
import static dev.recur.onnx.rnn.RecurrentNodes.FILE;
import static dev.recur.onnx.rnn.RecurrentNodes.H;
import static dev.recur.onnx.rnn.RecurrentNodes.assertMatchesOrt;
import static dev.recur.onnx.rnn.RecurrentNodes.node;
import static dev.recur.onnx.rnn.RecurrentNodes.transpose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.layers.rnn.Activation;
import dev.recur.layers.rnn.CellVariant;
import dev.recur.onnx.OnnxModel;
import dev.recur.onnx.graph.NodeLabel;
import dev.recur.onnx.graph.Value;
import dev.recur.onnx.proto.AttributeProto;
import dev.recur.onnx.proto.ModelProto;
import dev.recur.onnx.proto.NodeProto;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ONNX's own variants of the recurrent operators, written as single nodes, run by Recur's import and by ONNX Runtime
 * 1.23 on the same feeds, every output within 1e-5 relative: the GRU with {@code linear_before_reset=0} (ONNX's
 * default), LSTM peepholes and {@code input_forget}, {@code clip}, {@code direction="reverse"}, {@code
 * sequence_lens} with rows of different lengths in one and two directions, and activations other than the
 * defaults. ONNX Runtime's CPU kernels run {@code layout=0} only, so {@code layout=1} is compared with the same
 * node in layout 0. A row of length 0, whose final states ONNX Runtime leaves zero in some kernels and unwritten in
 * others, is checked on its own.
 */
class RecurrentVariantImportTest {
    private static final int T = 5;
    private static final int B = 4;
    /** Rows of every kind: full, one step, in between. */
    private static final long[] RAGGED = {T, 1, 3, 2};

    private final RecurrentNodes nodes = new RecurrentNodes(11, T, B);

    /** Feeds with initial states (and peepholes when {@code peepholes}) for a node of {@code dirs} directions. */
    private Map<String, Value> feeds(RnnOperator op, int dirs, long[] lengths, boolean peepholes) {
        Map<String, Value> f = nodes.feeds(op, dirs, false);
        if (lengths != null) {
            f.put("sequence_lens", Value.longs(lengths, B));
        }
        f.put("initial_h", nodes.randn(dirs, B, H));
        if (op == RnnOperator.LSTM) {
            f.put("initial_c", nodes.randn(dirs, B, H));
            if (peepholes) {
                f.put("P", nodes.randn(dirs, 3 * H));
            }
        }
        return f;
    }

    /** The node's inputs in the operator's order, "" for those left out. */
    private static List<String> inputs(RnnOperator op, Map<String, Value> f) {
        List<String> in = new ArrayList<>();
        for (String name : op.inputs()) {
            in.add(f.containsKey(name) ? name : "");
        }
        while (in.get(in.size() - 1).isEmpty()) {
            in.remove(in.size() - 1);
        }
        return in;
    }

    private void check(RnnOperator op, int dirs, long[] lengths, boolean peepholes, AttributeProto... attributes)
            throws Exception {
        Map<String, Value> f = feeds(op, dirs, lengths, peepholes);
        assertMatchesOrt(node(op, f, inputs(op, f), attributes), f);
    }

    private static RecurrentNode parsed(ModelProto m, RnnOperator op) {
        NodeProto n = m.getGraph().getNode(0);
        return RecurrentNode.parse(n, NodeLabel.of(FILE.toString(), 0, n), op);
    }

    @Test
    void gruWithTheResetBeforeTheProductMatchesOrt() throws Exception {
        check(RnnOperator.GRU, 1, null, false);
        check(RnnOperator.GRU, 2, null, false, string("direction", "bidirectional"),
                integer("linear_before_reset", 0));
        check(RnnOperator.GRU, 2, RAGGED, false, string("direction", "bidirectional"));
        // the layer computes the variant, not PyTorch's cell
        Map<String, Value> f = feeds(RnnOperator.GRU, 1, null, false);
        assertThat(parsed(node(RnnOperator.GRU, f, inputs(RnnOperator.GRU, f)), RnnOperator.GRU).variant()
                .linearBeforeReset()).isFalse();
    }

    @Test
    void lstmPeepholesAndCoupledGatesMatchOrt() throws Exception {
        check(RnnOperator.LSTM, 1, null, true);
        check(RnnOperator.LSTM, 2, RAGGED, true, string("direction", "bidirectional"));
        check(RnnOperator.LSTM, 1, null, true, integer("input_forget", 1));
        check(RnnOperator.LSTM, 2, RAGGED, false, string("direction", "bidirectional"), integer("input_forget", 1));
    }

    @Test
    void clipMatchesOrt() throws Exception {
        check(RnnOperator.LSTM, 2, null, true, string("direction", "bidirectional"), real("clip", 0.3f));
        check(RnnOperator.GRU, 1, RAGGED, false, real("clip", 0.3f));
        check(RnnOperator.GRU, 2, null, false, string("direction", "bidirectional"), real("clip", 0.3f),
                integer("linear_before_reset", 1));
        check(RnnOperator.RNN, 1, RAGGED, false, real("clip", 0.3f));
        check(RnnOperator.RNN, 1, null, false, real("clip", 0.3f), strings("activations", "Relu"));
    }

    @Test
    void reverseDirectionMatchesOrt() throws Exception {
        for (long[] lengths : new long[][] {null, RAGGED}) {
            check(RnnOperator.LSTM, 1, lengths, true, string("direction", "reverse"));
            check(RnnOperator.GRU, 1, lengths, false, string("direction", "reverse"));
            check(RnnOperator.GRU, 1, lengths, false, string("direction", "reverse"),
                    integer("linear_before_reset", 1));
            check(RnnOperator.RNN, 1, lengths, false, string("direction", "reverse"));
        }
    }

    @Test
    void rowsOfDifferentLengthsMatchOrtInOneAndTwoDirections() throws Exception {
        for (RnnOperator op : RnnOperator.values()) {
            check(op, 1, RAGGED, false);
            check(op, 2, new long[] {2, T, 4, 1}, false, string("direction", "bidirectional"));
        }
        check(RnnOperator.GRU, 1, RAGGED, false, integer("linear_before_reset", 1));
        check(RnnOperator.LSTM, 1, new long[] {1, 1, 1, 1}, false);
    }

    @Test
    void aRowOfLengthZeroHasZeroOutputsAndStatesAndLeavesTheOthersAlone() {
        for (RnnOperator op : RnnOperator.values()) {
            for (String direction : List.of("forward", "reverse", "bidirectional")) {
                int dirs = direction.equals("bidirectional") ? 2 : 1;
                Map<String, Value> f = feeds(op, dirs, new long[] {T, 0, 3, 2}, true);
                Map<String, Value> full = new LinkedHashMap<>(f);
                full.put("sequence_lens", Value.longs(new long[] {T, 1, 3, 2}, B));
                AttributeProto dir = string("direction", direction);
                Map<String, Value> got = OnnxModel.of(node(op, f, inputs(op, f), dir), FILE).run(f);
                Map<String, Value> ref = OnnxModel.of(node(op, full, inputs(op, full), dir), FILE).run(full);
                for (String name : got.keySet()) {
                    float[] a = got.get(name).floatData(name);
                    float[] e = ref.get(name).floatData(name);
                    // Y [T, dirs, B, H]; the states [dirs, B, H]: row 1 is every H values at position 1 of B
                    for (int k = 0; k < a.length; k++) {
                        boolean emptyRow = (k / H) % B == 1;
                        assertThat(a[k]).as(op + " " + direction + " " + name + "[" + k + "]")
                                .isEqualTo(emptyRow ? 0f : e[k]);
                    }
                }
            }
        }
    }

    @Test
    void otherActivationsMatchOrt() throws Exception {
        check(RnnOperator.LSTM, 2, RAGGED, false, string("direction", "bidirectional"), strings("activations",
                "Relu", "Sigmoid", "Tanh", "sigmoid", "TANH", "relu"));
        check(RnnOperator.GRU, 2, null, false, string("direction", "bidirectional"), strings("activations",
                "Tanh", "Relu", "Sigmoid", "Sigmoid"), real("clip", 2f));
        check(RnnOperator.RNN, 2, RAGGED, false, string("direction", "bidirectional"),
                strings("activations", "Sigmoid", "Relu"));
        // alpha and beta feed only the activations that take them; Sigmoid, Tanh and Relu take none
        check(RnnOperator.GRU, 1, null, false, strings("activations", "Sigmoid", "Tanh"),
                floats("activation_alpha", 0.5f), floats("activation_beta", 2f));
    }

    @Test
    void oneListOfActivationsServesBothDirections() {
        Map<String, Value> f = feeds(RnnOperator.LSTM, 2, RAGGED, true);
        Map<String, Value> once = OnnxModel.of(node(RnnOperator.LSTM, f, inputs(RnnOperator.LSTM, f),
                string("direction", "bidirectional"), strings("activations", "Tanh", "Relu", "Sigmoid")), FILE)
                .run(f);
        ModelProto twiceModel = node(RnnOperator.LSTM, f, inputs(RnnOperator.LSTM, f),
                string("direction", "bidirectional"), strings("activations", "Tanh", "Relu", "Sigmoid", "Tanh",
                        "Relu", "Sigmoid"));
        Map<String, Value> twice = OnnxModel.of(twiceModel, FILE).run(f);
        for (String name : List.of("Y", "Y_h", "Y_c")) {
            assertThat(once.get(name).floatData(name)).containsExactly(twice.get(name).floatData(name));
        }
        CellVariant variant = parsed(twiceModel, RnnOperator.LSTM).variant();
        assertThat(variant.activations()).containsExactly(Activation.TANH, Activation.RELU, Activation.SIGMOID,
                Activation.TANH, Activation.RELU, Activation.SIGMOID);
    }

    @Test
    void batchFirstLayoutWithLengthsInReverseEqualsSequenceFirst() {
        Map<String, Value> f = feeds(RnnOperator.GRU, 1, RAGGED, false);
        Map<String, Value> seqFirst = OnnxModel.of(node(RnnOperator.GRU, f, inputs(RnnOperator.GRU, f),
                string("direction", "reverse"), real("clip", 0.5f)), FILE).run(f);
        Map<String, Value> batchFeeds = new LinkedHashMap<>(f);
        batchFeeds.put("X", transpose(f.get("X"), 1, 0, 2));
        batchFeeds.put("initial_h", transpose(f.get("initial_h"), 1, 0, 2));
        Map<String, Value> batchFirst = OnnxModel.of(node(RnnOperator.GRU, batchFeeds,
                inputs(RnnOperator.GRU, batchFeeds), string("direction", "reverse"), real("clip", 0.5f),
                integer("layout", 1)), FILE).run(batchFeeds);
        assertThat(batchFirst.get("Y").floatData("Y")).containsExactly(
                transpose(seqFirst.get("Y"), 2, 0, 1, 3).floatData("Y"));
        assertThat(batchFirst.get("Y_h").floatData("Y_h")).containsExactly(
                transpose(seqFirst.get("Y_h"), 1, 0, 2).floatData("Y_h"));
    }
}
