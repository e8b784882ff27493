package dev.recur.onnx.export;

import dev.recur.core.RecurException;
import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.io.json.JsonNumber;
import dev.recur.core.io.json.JsonParser;
import dev.recur.core.random.Rng;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.registry.HfModels;
import dev.recur.layers.rnn.RnnConfig;
import dev.recur.layers.rnn.RnnLayer;
import dev.recur.layers.rnn.TorchRnnConfig;
import dev.recur.layers.rnn.bytelm.ByteLstmConfig;
import dev.recur.layers.rnn.bytelm.ByteLstmLm;
import dev.recur.onnx.proto.ModelProto;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exports a model folder by what its {@code config.json} says: a {@code module} field ({@code RNN},
 * {@code LSTM}, {@code GRU}) makes a PyTorch module folder (the reference case format, weights under PyTorch's
 * names in {@code model.safetensors}); {@code model_type} {@code recur_lstm} a byte LSTM language model (what
 * {@code recur train --model lstm} writes). Anything else, and what ONNX's operators cannot express (an LSTM
 * projection, {@code proj_size}), is refused with the file and the field named.
 */
public final class FolderExport {
    private FolderExport() {}

    /** The ONNX model of the folder {@code dir}. */
    public static ModelProto export(Path dir, ExportOptions options) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir + " (expected a model folder with config.json)");
        }
        Path configPath = dir.resolve("config.json");
        if (!Files.isRegularFile(configPath)) {
            throw new NoSuchFileException(configPath.toString());
        }
        Object json = JsonParser.parse(Files.readString(configPath, StandardCharsets.UTF_8));
        if (!(json instanceof Map)) {
            throw new RecurException(configPath + ": expected a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) json;
        if (config.containsKey("module")) {
            return torchModule(dir, configPath, config, options);
        }
        Object type = config.get("model_type");
        if (ByteLstmConfig.MODEL_TYPE.equals(type)) {
            CausalLm lm = HfModels.load(dir);
            return OnnxExport.byteLstm((ByteLstmLm) lm, options);
        }
        throw new RecurException(configPath + ": " + (type == null ? "neither 'module' nor 'model_type' is set"
                : "model_type '" + type + "' cannot be exported to ONNX") + "; Recur exports PyTorch RNN/LSTM/GRU "
                + "folders ('module' in config.json) and " + ByteLstmConfig.MODEL_TYPE + " byte models");
    }

    private static ModelProto torchModule(Path dir, Path configPath, Map<String, Object> config,
                                          ExportOptions options) throws IOException {
        Object proj = config.get("proj_size");
        if (proj != null && !(proj instanceof JsonNumber n && n.toBigDecimal().compareTo(BigDecimal.ZERO) == 0)) {
            throw new RecurException(configPath + ": proj_size " + proj + " cannot be exported: ONNX's LSTM has no "
                    + "projection of the hidden state");
        }
        Object batchFirst = config.getOrDefault("batch_first", Boolean.TRUE);
        if (!(batchFirst instanceof Boolean)) {
            throw new RecurException(configPath + ": field 'batch_first' must be true or false, got " + batchFirst);
        }
        // The layer is batch-first either way; the graph's input and output layout follows the folder.
        Map<String, Object> layerConfig = new LinkedHashMap<>(config);
        layerConfig.remove("batch_first");
        layerConfig.remove("proj_size");
        RnnConfig rnn = TorchRnnConfig.parse(layerConfig, configPath.toString());
        RnnLayer layer = new RnnLayer(rnn, new Rng(0));
        Path weights = dir.resolve("model.safetensors");
        if (!Files.isRegularFile(weights)) {
            throw new NoSuchFileException(weights.toString());
        }
        try (SafetensorsFile file = SafetensorsFile.open(weights)) {
            layer.loadStateDict(file);
        }
        return OnnxExport.rnn(layer.eval(), (Boolean) batchFirst, options);
    }
}
