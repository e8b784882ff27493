package dev.recur.onnx.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.lm.LmState;
import dev.recur.layers.rnn.bytelm.ByteLstmConfig;
import dev.recur.layers.rnn.bytelm.ByteLstmLm;
import dev.recur.onnx.OnnxModel;
import dev.recur.onnx.OrtRunner;
import dev.recur.onnx.graph.Value;
import dev.recur.onnx.proto.ModelProto;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An exported byte LSTM language model, run by ONNX Runtime and by Recur's import, gives the logits and final
 * states of {@link ByteLstmLm#forward} to 1e-5 of the largest magnitude: with and without the RMSNorm, one and
 * two layers, with given states and from zeros, at the opsets before and after ReduceMean took its axes as an
 * input (18).
 */
class ByteLstmExportTest {
    private static final double TOLERANCE = 1e-5;

    @ParameterizedTest(name = "layers {0}, norm {1}, state inputs {2}, opset {3}")
    @CsvSource({
        "1, true, true, 17",
        "2, true, true, 14",
        "2, true, false, 18",
        "2, false, true, 22",
        "1, false, false, 17",
    })
    void logitsAndStatesMatchRecur(int layers, boolean norm, boolean states, int opset) throws Exception {
        Rng rng = new Rng(40 + layers);
        ByteLstmConfig config = new ByteLstmConfig(8, 16, layers, norm, 1e-5f);
        ByteLstmLm lm = ByteLstmLm.create(config, rng);
        int batch = 2;
        int steps = 5;
        int[] ids = new int[batch * steps];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = rng.nextInt(ByteLstmConfig.VOCAB_SIZE);
        }
        IntTensor input = IntTensor.of(ids, batch, steps);
        int[] stateShape = {layers, batch, 16};
        LmState start = lm.initialState(batch);
        Map<String, Value> feeds = new LinkedHashMap<>();
        feeds.put("input_ids", Value.of(input));
        if (states) {
            Map<String, Tensor> t = new LinkedHashMap<>();
            t.put("lstm.h", Tensor.randn(rng, 0.5f, stateShape));
            t.put("lstm.c", Tensor.randn(rng, 0.5f, stateShape));
            start = new LmState(t, 0);
            feeds.put("h0", Value.of(t.get("lstm.h")));
            feeds.put("c0", Value.of(t.get("lstm.c")));
        }
        LmOutput expected = lm.forward(input, start);

        ModelProto model = OnnxExport.byteLstm(lm, new ExportOptions(opset, states));
        Map<String, Map<String, Value>> runs = new LinkedHashMap<>();
        runs.put("onnxruntime", OrtRunner.run(model, feeds));
        runs.put("recur import", OnnxModel.of(model, Path.of("byte-lm.onnx")).run(feeds));
        for (Map.Entry<String, Map<String, Value>> run : runs.entrySet()) {
            Map<String, Value> got = run.getValue();
            assertThat(got.keySet()).as(run.getKey()).containsExactlyElementsOf(List.of("logits", "h_n", "c_n"));
            Close.assertClose(run.getKey() + " logits", expected.logits(), got.get("logits"), TOLERANCE);
            Close.assertClose(run.getKey() + " h_n", expected.state().tensor("lstm.h"), got.get("h_n"), TOLERANCE);
            Close.assertClose(run.getKey() + " c_n", expected.state().tensor("lstm.c"), got.get("c_n"), TOLERANCE);
        }
    }
}
