package dev.recur.layers.lm;

import dev.recur.core.RecurException;
import dev.recur.core.io.AtomicFiles;
import dev.recur.core.io.SafetensorsWriter;
import dev.recur.core.io.json.JsonWriter;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a model folder that {@code HfModels.load} reads: {@code config.json} (a flat JSON
 * object) and {@code model.safetensors} (F32 tensors under the checkpoint's names). Each file is written to a
 * temporary name and moved into place, so a reader never sees half a file.
 */
public final class ModelFolder {
    /** The config.json field that names the tokenizer; {@value #BYTES} means one id per byte of UTF-8. */
    public static final String TOKENIZER_FIELD = "tokenizer";
    public static final String BYTES = "bytes";

    private ModelFolder() {}

    /** Writes {@code config.json} and {@code model.safetensors} into {@code dir} (created if needed). */
    public static void write(Path dir, Map<String, Object> config, Map<String, Tensor> weights) throws IOException {
        Files.createDirectories(dir);
        writeConfig(dir, config);
        writeWeights(dir, weights);
    }

    /** Rewrites {@code model.safetensors} in {@code dir} with the model's current parameters. */
    public static void writeWeights(Path dir, CausalLm model) throws IOException {
        writeWeights(dir, model.parameters());
    }

    /** Whether the folder's config says its ids are bytes ({@code "tokenizer": "bytes"}). */
    public static boolean isByteLevel(HfConfig config) {
        return config.has(TOKENIZER_FIELD) && BYTES.equals(config.string(TOKENIZER_FIELD));
    }

    static void writeWeights(Path dir, Map<String, Tensor> weights) throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter();
        weights.forEach(writer::add);
        writer.write(dir.resolve("model.safetensors"));
    }

    static void writeConfig(Path dir, Map<String, Object> config) throws IOException {
        StringBuilder json = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, Object> e : config.entrySet()) {
            json.append("  ");
            JsonWriter.appendString(json, e.getKey()).append(": ");
            Object v = e.getValue();
            if (v instanceof String s) {
                JsonWriter.appendString(json, s);
            } else if (v instanceof Integer || v instanceof Long || v instanceof Boolean) {
                json.append(v);
            } else if (v instanceof Double d && Double.isFinite(d)) {
                json.append(d);
            } else {
                throw new RecurException("config.json: field '" + e.getKey() + "' expected a string, integer,"
                        + " finite number or boolean, got " + v);
            }
            json.append(++i < config.size() ? ",\n" : "\n");
        }
        json.append("}\n");
        AtomicFiles.write(dir.resolve("config.json"), json.toString().getBytes(StandardCharsets.UTF_8));
    }
}
