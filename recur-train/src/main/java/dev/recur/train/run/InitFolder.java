package dev.recur.train.run;

import dev.recur.core.RecurException;
import dev.recur.core.io.json.JsonParser;
import dev.recur.layers.lm.HfConfig;
import dev.recur.layers.registry.HfModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The folder {@code --init DIR} fine-tunes: checked to be a model folder {@link HfModels#load} reads (one line
 * saying what it is otherwise: a task run, a PyTorch-module reference case, a folder without config.json, an
 * unknown {@code model_type}), and copied into the run folder as it is: config.json, the tokenizer and
 * generation files, and the safetensors weights (single or sharded), so that the trained folder has the same
 * files, tensor names and dtypes as the input.
 */
final class InitFolder {
    /** Files copied beside the weights when present. */
    static final List<String> SIDE_FILES = List.of("config.json", "generation_config.json", "tokenizer.json",
            "tokenizer_config.json", "special_tokens_map.json", "vocab.json", "merges.txt", "tokenizer.model");
    static final String INDEX = "model.safetensors.index.json";

    private InitFolder() {}

    /** The folder's config, once it is known to load; else one line naming the folder and what it is. */
    static HfConfig check(Path dir) throws IOException {
        String where = "--init " + dir;
        if (!Files.isDirectory(dir)) {
            throw new RecurException(where + ": expected a model folder, got " + (Files.exists(dir) ? "a file"
                    : "no such folder"));
        }
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            String what = Files.isRegularFile(dir.resolve(RunSettings.FILE)) ? "a task or forecasting run folder"
                    : Files.isRegularFile(dir.resolve("case.json")) ? "a reference case" : "a folder";
            throw new RecurException(where + ": expected a model folder with config.json (an HF causal LM or a recur"
                    + " train language-model run), got " + what + " without config.json");
        }
        HfConfig config = HfConfig.read(dir.resolve("config.json"));
        if (!config.has("model_type")) {
            String what = config.has("module") ? "a PyTorch-module reference case (module " + config.string("module")
                    + ")" : "a config.json without model_type";
            throw new RecurException(where + ": expected a causal LM (model_type one of "
                    + String.join(", ", HfModels.supported().keySet()) + "), got " + what);
        }
        if (!HfModels.supported().containsKey(config.modelType())) {
            throw new RecurException(where + ": model_type '" + config.modelType() + "' is not a causal LM Recur"
                    + " trains (supported: " + String.join(", ", HfModels.supported().keySet()) + ")");
        }
        try {
            HfModels.load(dir);
        } catch (RecurException e) {
            throw new RecurException(where + ": " + e.getMessage(), e);
        }
        return config;
    }

    /** Copies the model's files from {@code from} into {@code to}. */
    static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        List<String> names = new ArrayList<>(SIDE_FILES);
        names.addAll(weightFiles(from));
        if (Files.isRegularFile(from.resolve(INDEX))) {
            names.add(INDEX);
        }
        for (String name : names) {
            Path src = from.resolve(name);
            if (Files.isRegularFile(src)) {
                Files.copy(src, to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The safetensors files holding the weights of {@code dir}: the shards its index lists, or model.safetensors. */
    static List<String> weightFiles(Path dir) throws IOException {
        Path index = dir.resolve(INDEX);
        if (Files.isRegularFile(dir.resolve("model.safetensors")) || !Files.isRegularFile(index)) {
            return List.of("model.safetensors");
        }
        Object json = JsonParser.parse(Files.readString(index, StandardCharsets.UTF_8));
        List<String> shards = new ArrayList<>();
        if (json instanceof Map<?, ?> root && root.get("weight_map") instanceof Map<?, ?> map) {
            for (Object shard : map.values()) {
                if (!shards.contains(String.valueOf(shard))) {
                    shards.add(String.valueOf(shard));
                }
            }
        }
        return shards;
    }
}
