package dev.recur.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.lm.LmState;
import dev.recur.layers.registry.ByteModel;
import com.google.protobuf.ByteString;
import dev.recur.onnx.OnnxModel;
import dev.recur.onnx.graph.TensorProtos;
import dev.recur.onnx.graph.Value;
import dev.recur.onnx.proto.AttributeProto;
import dev.recur.onnx.proto.ModelProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recur verify} on ONNX backend test folders: ONNX's own recurrent node tests pass (the GRU with ONNX's
 * default reset gate and the LSTM with peepholes included), a node with an activation Recur does not compute is
 * refused with the import's one line (exit 2), and a folder made from an exported byte LM with Recur's outputs
 * passes, while an altered expected output fails (exit 1).
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
    void onnxNodeTestsPass() {
        Path lstm = nodeTest("test_lstm_batchwise");
        Path rnn = nodeTest("test_simple_rnn_with_initial_bias");
        CliRun ok = CliRun.of("verify", lstm.toString(), rnn.toString());
        assertThat(ok.err()).isEmpty();
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.out()).contains(lstm + ": ONNX model, opset 14, 1 node [LSTM], 1 test data set")
                .containsPattern("\\n  Y  +\\S+ +\\S+ +1e-04  PASS")
                .containsPattern("\\n  Y_h  +\\S+ +\\S+ +1e-04  PASS")
                .contains("PASS: 2 of 2 tensors pass").contains("PASS: 1 of 1 tensors pass");

        // ONNX's default GRU (the reset gate before the recurrent product), lengths, and an LSTM with peepholes
        Path gru = nodeTest("test_gru_defaults");
        Path gruLengths = nodeTest("test_gru_seq_length");
        Path peepholes = nodeTest("test_lstm_with_peepholes");
        CliRun variants = CliRun.of("verify", gru.toString(), gruLengths.toString(), peepholes.toString());
        assertThat(variants.err()).isEmpty();
        assertThat(variants.exitCode()).isZero();
        assertThat(variants.out()).contains(gru + ": ONNX model, opset 14, 1 node [GRU], 1 test data set")
                .contains(peepholes + ": ONNX model, opset 14, 1 node [LSTM], 1 test data set")
                .contains("PASS: 1 of 1 tensors pass").doesNotContain("FAIL");
    }

    @Test
    void anActivationRecurDoesNotComputeIsRefusedInOneLine() throws Exception {
        Path source = nodeTest("test_lstm_defaults");
        Path dir = Files.createDirectories(tmp.resolve("hard_sigmoid"));
        ModelProto model = OnnxModel.read(source.resolve("model.onnx"));
        AttributeProto activations = AttributeProto.newBuilder().setName("activations")
                .setType(AttributeProto.AttributeType.STRINGS)
                .addStrings(ByteString.copyFromUtf8("HardSigmoid")).addStrings(ByteString.copyFromUtf8("Tanh"))
                .addStrings(ByteString.copyFromUtf8("Tanh")).build();
        ModelProto changed = model.toBuilder().setGraph(model.getGraph().toBuilder().setNode(0,
                model.getGraph().getNode(0).toBuilder().addAttribute(activations))).build();
        Files.write(dir.resolve("model.onnx"), changed.toByteArray());
        Path set = Files.createDirectories(dir.resolve("test_data_set_0"));
        try (Stream<Path> files = Files.list(source.resolve("test_data_set_0"))) {
            for (Path f : files.toList()) {
                Files.copy(f, set.resolve(f.getFileName().toString()));
            }
        }
        CliRun refused = CliRun.of("verify", dir.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.errLines()).containsExactly("recur: verify: " + dir.resolve("model.onnx") + ": node #0 "
                + "(LSTM): attribute activations [HardSigmoid, Tanh, Tanh] is not supported: 'HardSigmoid' is not "
                + "one of the functions Recur computes (Sigmoid, Tanh, Relu)");
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
