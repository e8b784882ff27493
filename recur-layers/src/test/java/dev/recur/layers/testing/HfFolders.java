package dev.recur.layers.testing;

import dev.recur.core.io.SafetensorsWriter;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes small HF checkpoint folders ({@code config.json} + {@code model.safetensors}) for loading tests. */
public final class HfFolders {
    private HfFolders() {}

    /** Writes {@code config} (strings, numbers, booleans, lists and maps) and {@code weights} into {@code dir}. */
    public static Path write(Path dir, Map<String, ?> config, Map<String, Tensor> weights) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), json(config) + "\n", StandardCharsets.UTF_8);
        SafetensorsWriter writer = new SafetensorsWriter();
        weights.forEach(writer::add);
        writer.write(dir.resolve("model.safetensors"));
        return dir;
    }

    private static String json(Object v) {
        if (v instanceof String s) {
            return "\"" + s + "\"";
        }
        if (v instanceof Map<?, ?> m) {
            return m.entrySet().stream().map(e -> json(String.valueOf(e.getKey())) + ": " + json(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        if (v instanceof List<?> l) {
            return l.stream().map(HfFolders::json).collect(Collectors.joining(", ", "[", "]"));
        }
        return String.valueOf(v);
    }
}
