package dev.recur.onnx.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.registry.ByteModel;
import dev.recur.layers.rnn.RnnConfig;
import dev.recur.layers.rnn.RnnLayer;
import dev.recur.layers.rnn.RnnOutput;
import dev.recur.layers.rnn.RnnState;
import dev.recur.onnx.OnnxModel;
import dev.recur.onnx.OrtRunner;
import dev.recur.onnx.graph.ShapeOps;
import dev.recur.onnx.graph.Value;
import dev.recur.onnx.proto.ModelProto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Model folders exported by kind: PyTorch's own reference cases (their outputs computed by PyTorch) run in ONNX
 * Runtime from the exported file; a sequence-first module folder and a byte LM run folder match Recur; what
 * ONNX cannot express, or Recur cannot export, is refused naming the file and the field.
 */
class FolderExportTest {
    private static final double TOLERANCE = 1e-5;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rnn_tanh", "lstm", "lstm_bidir", "gru", "gru_bidir"})
    void pytorchReferenceCasesRunInOnnxRuntime(String name) throws Exception {
        String shared = System.getProperty("recur.shared.dir");
        Assumptions.assumeTrue(shared != null, "recur.shared.dir is not set; skipping reference cases");
        Path dir = Path.of(shared, "golden", name);
        Assumptions.assumeTrue(Files.isDirectory(dir), "no reference case at " + dir + "; skipping");
        ModelProto model = FolderExport.export(dir, ExportOptions.defaults());
        Map<String, Value> feeds = new LinkedHashMap<>();
        Map<String, Tensor> expected = new LinkedHashMap<>();
        try (SafetensorsFile io = SafetensorsFile.open(dir.resolve("io.safetensors"))) {
            for (String in : List.of("input", "h0", "c0")) {
                if (io.contains(in)) {
                    feeds.put(in, Value.of(io.readFloat(in)));
                }
            }
            for (String out : List.of("output", "h_n", "c_n")) {
                if (io.contains(out)) {
                    expected.put(out, io.readFloat(out));
                }
            }
        }
        Map<String, Value> got = OrtRunner.run(model, feeds);
        assertThat(got.keySet()).containsExactlyElementsOf(expected.keySet());
        for (String out : expected.keySet()) {
            Close.assertClose(name + " " + out, expected.get(out), got.get(out), TOLERANCE);
        }
    }

    @Test
    void sequenceFirstModuleFolderKeepsItsLayout() throws Exception {
        RnnConfig config = RnnConfig.gru(4, 6).withLayers(2).withBidirectional(true);
        Rng rng = new Rng(5);
        RnnLayer layer = new RnnLayer(config, rng).eval();
        Path dir = Files.createDirectories(tmp.resolve("gru"));
        Files.writeString(dir.resolve("config.json"), "{\"module\": \"GRU\", \"input_size\": 4, \"hidden_size\": 6, "
                + "\"num_layers\": 2, \"bidirectional\": true, \"batch_first\": false, \"dropout\": 0.25}",
                StandardCharsets.UTF_8);
        layer.saveStateDict(dir.resolve("model.safetensors"));
        Tensor x = Tensor.randn(rng, 1f, 2, 5, 4);                                        // [B, T, I]
        Tensor h0 = Tensor.randn(rng, 1f, 4, 2, 6);
        RnnOutput expected = layer.forward(x, new RnnState(h0, null));

        ModelProto model = FolderExport.export(dir, ExportOptions.defaults());
        assertThat(model.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam())
                .isEqualTo("seq");
        Map<String, Value> feeds = new LinkedHashMap<>();
        feeds.put("input", ShapeOps.permute(null, Value.of(x), new int[] {1, 0, 2}));          // [T, B, I]
        feeds.put("h0", Value.of(h0));
        for (Map<String, Value> got : List.of(OrtRunner.run(model, feeds),
                OnnxModel.of(model, Path.of("gru.onnx")).run(feeds))) {
            Close.assertClose("output", expected.output(),
                    ShapeOps.permute(null, got.get("output"), new int[] {1, 0, 2}), TOLERANCE);
            Close.assertClose("h_n", expected.state().h(), got.get("h_n"), TOLERANCE);
        }
    }

    @Test
    void byteLstmRunFolderExportsItsLogits() throws Exception {
        Path dir = tmp.resolve("run");
        CausalLm lm = ByteModel.lstm(8, 12, 2).create(dir, new Rng(9));
        IntTensor ids = IntTensor.of(new int[] {72, 101, 108, 108, 111, 0, 255, 32}, 2, 4);
        LmOutput expected = lm.forward(ids, null);
        ModelProto model = FolderExport.export(dir, new ExportOptions(17, false));
        Path file = tmp.resolve("lm.onnx");
        OnnxExport.write(model, file);
        Map<String, Value> got = OrtRunner.run(OnnxModel.read(file), Map.of("input_ids", Value.of(ids)));
        Close.assertClose("logits", expected.logits(), got.get("logits"), TOLERANCE);
        Close.assertClose("h_n", expected.state().tensor("lstm.h"), got.get("h_n"), TOLERANCE);
        Close.assertClose("c_n", expected.state().tensor("lstm.c"), got.get("c_n"), TOLERANCE);
    }

    @Test
    void refusesProjectionsOtherModelsAndMissingFolders() throws Exception {
        Path proj = Files.createDirectories(tmp.resolve("proj"));
        Files.writeString(proj.resolve("config.json"), "{\"module\": \"LSTM\", \"input_size\": 4, "
                + "\"hidden_size\": 6, \"proj_size\": 3}");
        assertThatThrownBy(() -> FolderExport.export(proj, ExportOptions.defaults()))
                .isInstanceOf(RecurException.class).hasMessage(proj.resolve("config.json") + ": proj_size 3 cannot "
                        + "be exported: ONNX's LSTM has no projection of the hidden state");
        Path mamba = Files.createDirectories(tmp.resolve("mamba"));
        Files.writeString(mamba.resolve("config.json"), "{\"model_type\": \"mamba\"}");
        assertThatThrownBy(() -> FolderExport.export(mamba, ExportOptions.defaults()))
                .isInstanceOf(RecurException.class).hasMessage(mamba.resolve("config.json") + ": model_type 'mamba' "
                        + "cannot be exported to ONNX; Recur exports PyTorch RNN/LSTM/GRU folders ('module' in "
                        + "config.json) and recur_lstm byte models");
        assertThatThrownBy(() -> FolderExport.export(tmp.resolve("absent"), ExportOptions.defaults()))
                .isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> new ExportOptions(13, true)).isInstanceOf(RecurException.class)
                .hasMessage("onnx export: opset must be 14 to 22, got 13");
    }
}
