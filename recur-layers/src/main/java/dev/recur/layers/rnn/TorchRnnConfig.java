package dev.recur.layers.rnn;

import dev.recur.core.RecurException;
import dev.recur.core.io.json.JsonNumber;
import dev.recur.core.io.json.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads the {@code config.json} of a PyTorch module reference case: {@code module} ({@code RNN}, {@code LSTM},
 * {@code GRU}), {@code input_size}, {@code hidden_size} and, with PyTorch's defaults when absent,
 * {@code num_layers} (1), {@code bidirectional} (false), {@code bias} (true), {@code nonlinearity} (tanh),
 * {@code dropout} (0). {@code batch_first} must be true when given. Other fields are ignored.
 */
public final class TorchRnnConfig {
    private TorchRnnConfig() {}

    /** Parses a config file; errors name the file and the field. */
    public static RnnConfig read(Path configJson) throws IOException {
        String text = Files.readString(configJson, StandardCharsets.UTF_8);
        Object json = JsonParser.parse(text);
        if (!(json instanceof Map)) {
            throw new RecurException(configJson + ": expected a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) json;
        return parse(map, configJson.toString());
    }

    /** Builds the config from parsed JSON; {@code source} names the file in errors. */
    public static RnnConfig parse(Map<String, Object> json, String source) {
        Object module = json.get("module");
        if (!"RNN".equals(module) && !"LSTM".equals(module) && !"GRU".equals(module)) {
            throw new RecurException(source + ": field 'module' must be \"RNN\", \"LSTM\" or \"GRU\", got "
                    + (module instanceof String ? "\"" + module + "\"" : module));
        }
        if (!bool(json, "batch_first", true, source)) {
            throw new RecurException(source + ": batch_first false is not supported; reference cases are batch-first");
        }
        Object act = json.getOrDefault("nonlinearity", "tanh");
        if (!(act instanceof String)) {
            throw new RecurException(source + ": field 'nonlinearity' must be \"tanh\" or \"relu\", got " + act);
        }
        int inputSize = integer(json, "input_size", -1, source);
        int hiddenSize = integer(json, "hidden_size", -1, source);
        int numLayers = integer(json, "num_layers", 1, source);
        boolean bidirectional = bool(json, "bidirectional", false, source);
        boolean bias = bool(json, "bias", true, source);
        float dropout = number(json, "dropout", 0f, source);
        try {
            return RnnConfig.fromTorch((String) module, inputSize, hiddenSize, numLayers, bidirectional, bias,
                    (String) act, dropout);
        } catch (RecurException e) {
            throw new RecurException(source + ": " + e.getMessage(), e);
        }
    }

    private static int integer(Map<String, Object> json, String field, int fallback, String source) {
        Object v = json.get(field);
        if (v == null && fallback >= 0) {
            return fallback;
        }
        if (!(v instanceof JsonNumber) || !((JsonNumber) v).isIntegerLiteral()) {
            throw new RecurException(source + ": field '" + field + "' must be an integer, got "
                    + (v == null ? "nothing" : v));
        }
        try {
            return ((JsonNumber) v).toBigDecimal().intValueExact();
        } catch (ArithmeticException e) {
            throw new RecurException(source + ": field '" + field + "' is out of range: " + v);
        }
    }

    private static boolean bool(Map<String, Object> json, String field, boolean fallback, String source) {
        Object v = json.get(field);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Boolean)) {
            throw new RecurException(source + ": field '" + field + "' must be true or false, got " + v);
        }
        return (Boolean) v;
    }

    private static float number(Map<String, Object> json, String field, float fallback, String source) {
        Object v = json.get(field);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof JsonNumber)) {
            throw new RecurException(source + ": field '" + field + "' must be a number, got " + v);
        }
        return ((JsonNumber) v).toBigDecimal().floatValue();
    }
}
