package dev.recur.layers.rnn;

import dev.recur.core.RecurException;
import dev.recur.core.io.json.JsonNumber;
import dev.recur.core.io.json.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code config.json} of a PyTorch module reference case, whose fields are the module's constructor
 * arguments. {@code module} is {@code RNN}, {@code LSTM} or {@code GRU} ({@link #parse}), or {@code RNNCell},
 * {@code LSTMCell} or {@code GRUCell} ({@link #parseCell}); {@code input_size} and {@code hidden_size} are
 * required. Absent fields take PyTorch's defaults: {@code num_layers} (1), {@code bidirectional} (false),
 * {@code bias} (true), {@code nonlinearity} (tanh), {@code dropout} (0), {@code proj_size} (0), except
 * {@code batch_first}, which this format has always read as true when absent. Other fields are ignored.
 */
public final class TorchRnnConfig {
    private static final List<String> MODULES = List.of("RNN", "LSTM", "GRU");
    private static final List<String> CELLS = List.of("RNNCell", "LSTMCell", "GRUCell");

    private TorchRnnConfig() {}

    /** Parses a module's config file; errors name the file and the field. */
    public static RnnConfig read(Path configJson) throws IOException {
        return parse(readJson(configJson), configJson.toString());
    }

    /** The JSON object of a config file. */
    public static Map<String, Object> readJson(Path configJson) throws IOException {
        String text = Files.readString(configJson, StandardCharsets.UTF_8);
        Object json = JsonParser.parse(text);
        if (!(json instanceof Map)) {
            throw new RecurException(configJson + ": expected a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) json;
        return map;
    }

    /** Whether the config names a cell ({@code RNNCell}, {@code LSTMCell}, {@code GRUCell}); checks the name. */
    public static boolean isCell(Map<String, Object> json, String source) {
        Object module = json.get("module");
        if (CELLS.contains(module)) {
            return true;
        }
        if (MODULES.contains(module)) {
            return false;
        }
        throw new RecurException(source + ": field 'module' must be \"RNN\", \"LSTM\", \"GRU\", \"RNNCell\", "
                + "\"LSTMCell\" or \"GRUCell\", got " + (module instanceof String ? "\"" + module + "\"" : module));
    }

    /** Builds a module's config ({@code RNN}, {@code LSTM}, {@code GRU}) from JSON; {@code source} names the file. */
    public static RnnConfig parse(Map<String, Object> json, String source) {
        if (isCell(json, source)) {
            throw new RecurException(source + ": module \"" + json.get("module") + "\" is a cell; expected \"RNN\", "
                    + "\"LSTM\" or \"GRU\" here");
        }
        String module = (String) json.get("module");
        String act = nonlinearity(json, source);
        int inputSize = integer(json, "input_size", -1, source);
        int hiddenSize = integer(json, "hidden_size", -1, source);
        int numLayers = integer(json, "num_layers", 1, source);
        boolean bidirectional = bool(json, "bidirectional", false, source);
        boolean bias = bool(json, "bias", true, source);
        float dropout = number(json, "dropout", 0f, source);
        int projSize = integer(json, "proj_size", 0, source);
        boolean batchFirst = bool(json, "batch_first", true, source);
        if (projSize != 0 && !module.equals("LSTM")) {
            throw new RecurException(source + ": field 'proj_size' is only supported for LSTM, got " + projSize
                    + " for " + module);
        }
        if (projSize != 0 && projSize >= hiddenSize) {
            throw new RecurException(source + ": field 'proj_size' has to be smaller than hidden_size " + hiddenSize
                    + ", got " + projSize);
        }
        try {
            return RnnConfig.fromTorch(module, inputSize, hiddenSize, numLayers, bidirectional, bias, act, dropout)
                    .withProjSize(projSize).withBatchFirst(batchFirst);
        } catch (RecurException e) {
            throw new RecurException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Builds a cell's config ({@code RNNCell}, {@code LSTMCell}, {@code GRUCell}) from parsed JSON: the
     * constructor's {@code input_size}, {@code hidden_size}, {@code bias}, {@code nonlinearity}. A field that only
     * a module has ({@code num_layers} other than 1, {@code bidirectional} true, {@code proj_size} other than 0,
     * {@code batch_first} true) is an error, since a cell case's input is time-major.
     */
    public static RnnCellConfig parseCell(Map<String, Object> json, String source) {
        if (!isCell(json, source)) {
            throw new RecurException(source + ": module \"" + json.get("module") + "\" is not a cell; expected "
                    + "\"RNNCell\", \"LSTMCell\" or \"GRUCell\" here");
        }
        String module = (String) json.get("module");
        String act = nonlinearity(json, source);
        int inputSize = integer(json, "input_size", -1, source);
        int hiddenSize = integer(json, "hidden_size", -1, source);
        boolean bias = bool(json, "bias", true, source);
        String notForCells = integer(json, "num_layers", 1, source) != 1 ? "num_layers"
                : bool(json, "bidirectional", false, source) ? "bidirectional"
                : integer(json, "proj_size", 0, source) != 0 ? "proj_size"
                : bool(json, "batch_first", false, source) ? "batch_first" : null;
        if (notForCells != null) {
            throw new RecurException(source + ": field '" + notForCells + "' does not apply to " + module
                    + " (a cell takes one step; its case's input is [seq, batch, input_size])");
        }
        try {
            return RnnCellConfig.fromTorch(module, inputSize, hiddenSize, bias, act);
        } catch (RecurException e) {
            throw new RecurException(source + ": " + e.getMessage(), e);
        }
    }

    private static String nonlinearity(Map<String, Object> json, String source) {
        Object act = json.getOrDefault("nonlinearity", "tanh");
        if (!(act instanceof String)) {
            throw new RecurException(source + ": field 'nonlinearity' must be \"tanh\" or \"relu\", got " + act);
        }
        return (String) act;
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
