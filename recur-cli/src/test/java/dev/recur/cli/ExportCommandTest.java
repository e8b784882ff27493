package dev.recur.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.registry.ByteModel;
import dev.recur.onnx.OnnxModel;
import dev.recur.onnx.graph.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recur export}: a PyTorch reference case and a byte LM folder become ONNX files whose outputs (run by
 * Recur's import) are PyTorch's and Recur's; a missing folder, a model kind that does not export, a format other
 * than onnx and an opset out of range exit 2 with one line.
 */
class ExportCommandTest {
    @TempDir
    Path tmp;

    private static void assertClose(String what, Tensor expected, Value got) {
        assertThat(got.shape()).as(what).containsExactly(expected.shape());
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < expected.size(); i++) {
            diff = Math.max(diff, Math.abs(got.floatData(what)[i] - expected.data()[i]));
            ref = Math.max(ref, Math.abs(expected.data()[i]));
        }
        assertThat(diff / ref).as(what).isLessThanOrEqualTo(1e-5);
    }

    @Test
    void pytorchReferenceCaseExportsToAFileThatComputesPyTorchsOutputs() throws Exception {
        Path dir = CliRun.golden("lstm_bidir");
        Path file = tmp.resolve("out/lstm.onnx");
        CliRun r = CliRun.of("export", "--model", dir.toString(), "--format", "onnx", "--out", file.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("wrote " + file + " (").contains("ONNX opset 17, Exported by Recur from "
                + "PyTorch LSTM(").contains("in   input      float   [batch, seq, ").contains("out  c_n        float");
        Map<String, Value> feeds = new LinkedHashMap<>();
        Map<String, Tensor> expected = new LinkedHashMap<>();
        try (SafetensorsFile io = SafetensorsFile.open(dir.resolve("io.safetensors"))) {
            feeds.put("input", Value.of(io.readFloat("input")));
            feeds.put("h0", Value.of(io.readFloat("h0")));
            feeds.put("c0", Value.of(io.readFloat("c0")));
            for (String out : new String[] {"output", "h_n", "c_n"}) {
                expected.put(out, io.readFloat(out));
            }
        }
        Map<String, Value> got = OnnxModel.load(file).run(feeds);
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            assertClose(e.getKey(), e.getValue(), got.get(e.getKey()));
        }
    }

    @Test
    void byteLmFolderExportsWithoutStateInputs() throws Exception {
        Path dir = tmp.resolve("run");
        CausalLm lm = ByteModel.lstm(8, 12, 2).create(dir, new Rng(4));
        Path file = tmp.resolve("lm.onnx");
        CliRun r = CliRun.of("export", "--model", dir.toString(), "--format", "onnx", "--out", file.toString(),
                "--opset", "18", "--no-state-inputs");
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("in   input_ids  int64   [batch, seq]")
                .contains("out  logits     float   [batch, seq, 256]")
                .contains("out  h_n        float   [2, batch, 12]")
                .doesNotContain("in   h0");
        IntTensor ids = IntTensor.of(new int[] {1, 2, 3, 250, 0, 77}, 2, 3);
        LmOutput expected = lm.forward(ids, null);
        Map<String, Value> got = OnnxModel.load(file).run(Map.of("input_ids", Value.of(ids)));
        assertClose("logits", expected.logits(), got.get("logits"));
        assertClose("c_n", expected.state().tensor("lstm.c"), got.get("c_n"));
    }

    @Test
    void userMistakesExitTwoWithOneLine() throws Exception {
        Path absent = tmp.resolve("absent");
        CliRun missing = CliRun.of("export", "--model", absent.toString(), "--format", "onnx", "--out", "x.onnx");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.errLines()).containsExactly("recur: no such file: " + absent
                + " (expected a model folder with config.json)");

        Path mamba = Files.createDirectories(tmp.resolve("mamba"));
        Files.writeString(mamba.resolve("config.json"), "{\"model_type\": \"mamba\"}");
        CliRun unsupported = CliRun.of("export", "--model", mamba.toString(), "--format", "onnx", "--out", "x.onnx");
        assertThat(unsupported.exitCode()).isEqualTo(2);
        assertThat(unsupported.errLines()).containsExactly("recur: " + mamba.resolve("config.json") + ": model_type "
                + "'mamba' cannot be exported to ONNX; Recur exports PyTorch RNN/LSTM/GRU folders ('module' in "
                + "config.json) and recur_lstm byte models");

        Path out = tmp.resolve("never.onnx");
        CliRun format = CliRun.of("export", "--model", mamba.toString(), "--format", "tflite", "--out", out.toString());
        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(format.errLines()).containsExactly("recur: export: --format 'tflite' is not supported; expected "
                + "onnx");
        CliRun opset = CliRun.of("export", "--model", mamba.toString(), "--format", "onnx", "--out", out.toString(),
                "--opset", "9");
        assertThat(opset.exitCode()).isEqualTo(2);
        assertThat(opset.errLines()).containsExactly("recur: onnx export: opset must be 14 to 22, got 9");
        assertThat(out).doesNotExist();
    }
}
