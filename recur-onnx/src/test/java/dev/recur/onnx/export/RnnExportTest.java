package dev.recur.onnx.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.rnn.Activation;
import dev.recur.layers.rnn.CellType;
import dev.recur.layers.rnn.CellVariant;
import dev.recur.layers.rnn.RnnConfig;
import dev.recur.layers.rnn.RnnLayer;
import dev.recur.layers.rnn.RnnOutput;
import dev.recur.layers.rnn.RnnState;
import dev.recur.onnx.OnnxModel;
import dev.recur.onnx.OrtRunner;
import dev.recur.onnx.graph.ShapeOps;
import dev.recur.onnx.graph.Value;
import dev.recur.onnx.proto.ModelProto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An exported PyTorch-style RNN, run by ONNX Runtime and by Recur's own import, computes what Recur's
 * {@code RnnLayer} computes: the output and every final state, to 1e-5 of the largest magnitude, for each cell
 * (LSTM, GRU, tanh and ReLU RNN), one and two layers, one and two directions, with given initial states and
 * with none (a graph without state inputs starts from zeros), and the cell variants ONNX defines (written as its
 * attributes and the peepholes input {@code P}).
 */
class RnnExportTest {
    private static final double TOLERANCE = 1e-5;
    private static final int INPUT = 5;
    private static final int HIDDEN = 7;
    private static final int BATCH = 3;
    private static final int STEPS = 6;

    static Stream<Arguments> stacks() {
        List<Arguments> cases = new ArrayList<>();
        for (CellType cell : CellType.values()) {
            for (int layers = 1; layers <= 2; layers++) {
                for (boolean bidirectional : new boolean[] {false, true}) {
                    for (boolean states : new boolean[] {true, false}) {
                        cases.add(Arguments.of(cell, layers, bidirectional, states));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, {1} layers, bidirectional {2}, state inputs {3}")
    @MethodSource("stacks")
    void ortAndTheImportMatchRecur(CellType cell, int layers, boolean bidirectional, boolean states) throws Exception {
        RnnConfig config = new RnnConfig(cell, INPUT, HIDDEN, layers, bidirectional, true, 0f);
        check(config, true, states, ExportOptions.DEFAULT_OPSET, 11 * layers + (bidirectional ? 3 : 0));
    }

    @ParameterizedTest(name = "{0} without biases, sequence first, opset 14")
    @MethodSource("cells")
    void withoutBiasesAndSequenceFirst(CellType cell) throws Exception {
        check(new RnnConfig(cell, INPUT, HIDDEN, 2, true, false, 0f), false, true, 14, 5);
    }

    @ParameterizedTest(name = "{0} at opset 22")
    @MethodSource("cells")
    void newestOpset(CellType cell) throws Exception {
        check(new RnnConfig(cell, INPUT, HIDDEN, 2, false, true, 0f), true, true, ExportOptions.MAX_OPSET, 9);
    }

    static Stream<RnnConfig> variants() {
        CellVariant none = CellVariant.NONE;
        return Stream.of(
                RnnConfig.gru(INPUT, HIDDEN).withLayers(2).withBidirectional(true)
                        .withVariant(none.withLinearBeforeReset(false).withClip(0.6f)),
                RnnConfig.lstm(INPUT, HIDDEN).withBidirectional(true).withVariant(none.withPeepholes(true)
                        .withActivations(Activation.SIGMOID, Activation.RELU, Activation.TANH, Activation.TANH,
                                Activation.TANH, Activation.SIGMOID)),
                RnnConfig.lstm(INPUT, HIDDEN).withLayers(2).withVariant(none.withPeepholes(true)
                        .withCoupledInputForget(true).withClip(0.8f)),
                RnnConfig.rnn(INPUT, HIDDEN).withBidirectional(true).withVariant(none.withActivations(
                        Activation.SIGMOID)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void cellVariantsExportAsOnnxAttributesAndPeepholes(RnnConfig config) throws Exception {
        check(config, true, true, ExportOptions.DEFAULT_OPSET, 21);
    }

    static Stream<CellType> cells() {
        return Stream.of(CellType.values());
    }

    private static void check(RnnConfig config, boolean batchFirst, boolean states, int opset, long seed)
            throws Exception {
        Rng rng = new Rng(seed);
        RnnLayer layer = new RnnLayer(config, rng).eval();
        Tensor x = Tensor.randn(rng, 1f, BATCH, STEPS, INPUT);
        int[] stateShape = {config.stateRows(), BATCH, HIDDEN};
        boolean lstm = config.cell().hasCellState();
        RnnState start = states ? new RnnState(Tensor.randn(rng, 0.5f, stateShape),
                lstm ? Tensor.randn(rng, 0.5f, stateShape) : null) : null;
        RnnOutput expected = layer.forward(x, start);

        ModelProto model = OnnxExport.rnn(layer, batchFirst, new ExportOptions(opset, states));
        Map<String, Value> feeds = new LinkedHashMap<>();
        Value input = Value.of(x);
        feeds.put("input", batchFirst ? input : ShapeOps.permute(null, input, new int[] {1, 0, 2}));
        if (states) {
            feeds.put("h0", Value.of(start.h()));
            if (lstm) {
                feeds.put("c0", Value.of(start.c()));
            }
        }
        Map<String, Map<String, Value>> runs = new LinkedHashMap<>();
        runs.put("onnxruntime", OrtRunner.run(model, feeds));
        runs.put("recur import", OnnxModel.of(model, Path.of("exported.onnx")).run(feeds));
        for (Map.Entry<String, Map<String, Value>> run : runs.entrySet()) {
            Map<String, Value> got = run.getValue();
            assertThat(got.keySet()).as(run.getKey()).containsExactlyElementsOf(
                    lstm ? List.of("output", "h_n", "c_n") : List.of("output", "h_n"));
            Value output = got.get("output");
            if (!batchFirst) {
                output = ShapeOps.permute(null, output, new int[] {1, 0, 2});
            }
            Close.assertClose(run.getKey() + " output", expected.output(), output, TOLERANCE);
            Close.assertClose(run.getKey() + " h_n", expected.state().h(), got.get("h_n"), TOLERANCE);
            if (lstm) {
                Close.assertClose(run.getKey() + " c_n", expected.state().c(), got.get("c_n"), TOLERANCE);
            }
        }
    }
}
