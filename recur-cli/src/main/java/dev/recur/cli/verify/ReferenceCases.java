package dev.recur.cli.verify;

import dev.recur.core.RecurException;
import dev.recur.core.io.json.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Recognises a case's kind from its {@code config.json}: a {@code module} field makes a PyTorch module case,
 * a {@code model_type} field an HF causal-LM case; a folder with {@code model.onnx} and no {@code config.json}
 * is an ONNX backend test case.
 */
public final class ReferenceCases {
    private ReferenceCases() {}

    /** Loads the case in {@code dir}; a malformed case throws a {@link RecurException} or an {@link IOException}. */
    public static ReferenceCase load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir + " (expected a reference case folder)");
        }
        Path configPath = dir.resolve("config.json");
        if (!Files.isRegularFile(configPath) && OnnxBackendCase.matches(dir)) {
            return OnnxBackendCase.load(dir);
        }
        if (!Files.isRegularFile(configPath)) {
            throw new NoSuchFileException(configPath.toString());
        }
        Object json = JsonParser.parse(Files.readString(configPath, StandardCharsets.UTF_8));
        if (!(json instanceof Map)) {
            throw new RecurException(configPath + ": expected a JSON object");
        }
        Map<?, ?> config = (Map<?, ?>) json;
        if (config.containsKey("module")) {
            return TorchModuleCase.load(dir);
        }
        if (config.containsKey("model_type")) {
            return HfModelCase.load(dir);
        }
        throw new RecurException(configPath + ": expected a 'module' (RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell) or a"
                + " 'model_type' field");
    }
}
