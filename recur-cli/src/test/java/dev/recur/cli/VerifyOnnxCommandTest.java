package dev.recur.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.lm.LmState;
import dev.recur.layers.registry.ByteModel;
import dev.recur.onnx.graph.TensorProtos;
import dev.recur.onnx.graph.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recur verify} on ONNX backend test folders: ONNX's own recurrent node tests pass or are refused with
 * the import's one line (exit 2), and a folder made from an exported byte LM with Recur's outputs passes, while an
 * altered expected output fails (exit 1).
 */
class VerifyOnnxCommandTest {
    private static final Path NODE_TESTS = Path.of("/usr/share/libonnx-testdata/data/node");

    @TempDir
    Path tmp;

    private static Path nodeTest(String name) {
        Path dir = NODE_TESTS.resolve(name);
        Assumptions.assumeTrue(Files.isDirectory(dir), dir + " is absent (Debian package libonnx-testdata); skipping");
        return dir;
    }

    @Test
    void onnxNodeTestsPassOrAreRefusedInOneLine() {
        Path lstm = nodeTest("test_lstm_batchwise");
        Path rnn = nodeTest("test_simple_rnn_with_initial_bias");
        CliRun ok = CliRun.of("verify", lstm.toString(), rnn.toString());
        assertThat(ok.err()).isEmpty();
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.out()).contains(lstm + ": ONNX model, opset 14, 1 node [LSTM], 1 test data set")
                .containsPattern("\\n  Y  +\\S+ +\\S+ +1e-04  PASS")
                .containsPattern("\\n  Y_h  +\\S+ +\\S+ +1e-04  PASS")
                .contains("PASS: 2 of 2 tensors pass").contains("PASS: 1 of 1 tensors pass");

        Path gru = nodeTest("test_gru_defaults");
        CliRun refused = CliRun.of("verify", gru.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.errLines()).containsExactly("recur: verify: " + gru.resolve("model.onnx") + ": node #0 "
                + "(GRU): attribute linear_before_reset 0 is not supported; Recur's GRU applies the reset gate after "
                + "the recurrent product (linear_before_reset=1, as PyTorch's GRU)");
    }

    @Test
    void exportedByteLmWithRecursOutputsPassesAndAnAlteredOneFails() throws Exception {
        Path run = tmp.resolve("run");
        CausalLm lm = ByteModel.lstm(8, 12, 2).create(run, new Rng(21));
        Path dir = Files.createDirectories(tmp.resolve("case"));
        CliRun export = CliRun.of("export", "--model", run.toString(), "--format", "onnx", "--out",
                dir.resolve("model.onnx").toString());
        assertThat(export.exitCode()).isZero();
        Rng rng = new Rng(22);
        IntTensor ids = IntTensor.of(new int[] {10, 20, 30, 40, 50, 60, 70, 80}, 2, 4);
        Tensor h0 = Tensor.randn(rng, 0.3f, 2, 2, 12);
        Tensor c0 = Tensor.randn(rng, 0.3f, 2, 2, 12);
        LmState start = new LmState(Map.of("lstm.h", h0, "lstm.c", c0), 0);
        LmOutput expected = lm.forward(ids, start);
        Path set = Files.createDirectories(dir.resolve("test_data_set_0"));
        write(set.resolve("input_0.pb"), Value.of(ids));
        write(set.resolve("input_1.pb"), Value.of(h0));
        write(set.resolve("input_2.pb"), Value.of(c0));
        write(set.resolve("output_0.pb"), Value.of(expected.logits()));
        write(set.resolve("output_1.pb"), Value.of(expected.state().tensor("lstm.h")));
        write(set.resolve("output_2.pb"), Value.of(expected.state().tensor("lstm.c")));

        CliRun ok = CliRun.of("verify", dir.toString());
        assertThat(ok.err()).isEmpty();
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.out()).contains("PASS: 3 of 3 tensors pass").contains("logits").contains("c_n");

        Tensor wrong = Tensor.of(expected.logits().data().clone(), expected.logits().shape());
        wrong.data()[17] += 0.5f;
        write(set.resolve("output_0.pb"), Value.of(wrong));
        CliRun failed = CliRun.of("verify", dir.toString());
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.out()).containsPattern("\\n  logits  +\\S+ +\\S+ +1e-04  FAIL")
                .contains("FAIL: 2 of 3 tensors pass");
    }

    private static void write(Path file, Value v) throws Exception {
        Files.write(file, TensorProtos.write(file.getFileName().toString(), v).toByteArray());
    }
}
