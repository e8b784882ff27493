package dev.recur.train.run;

import dev.recur.core.RecurException;
import dev.recur.core.io.SafetensorsWriter;
import dev.recur.core.io.TensorFile;
import dev.recur.core.io.TensorFiles;
import dev.recur.layers.lm.HfConfig;
import dev.recur.layers.lm.HfWeights;
import dev.recur.layers.registry.HfModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The folder {@code --init DIR} fine-tunes: checked to be a model folder {@link HfModels#load} reads (one line
 * saying what it is otherwise: a task run, a PyTorch-module reference case, a folder without config.json, an
 * unknown {@code model_type}), and copied into the run folder as it is: config.json, the tokenizer and
 * generation files, and the safetensors weights (single or sharded), so that the trained folder has the same
 * files, tensor names and dtypes as the input. Weights saved by {@code torch.save} ({@code pytorch_model.bin},
 * its shards, {@code model.pt}) are written into one {@code model.safetensors} instead, with the same tensor
 * names and dtypes: Recur writes safetensors only.
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
        List<String> weights = weightFiles(from);
        if (TensorFiles.isTorchSave(from.resolve(weights.get(0)))) {
            SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
            for (String file : weights) {
                try (TensorFile f = TensorFiles.open(from.resolve(file))) {
                    writer.addAll(f);
                }
            }
            writer.write(to.resolve("model.safetensors"));
        } else {
            names.addAll(weights);
            if (Files.isRegularFile(from.resolve(INDEX))) {
                names.add(INDEX);
            }
        }
        for (String name : names) {
            Path src = from.resolve(name);
            if (Files.isRegularFile(src)) {
                Files.copy(src, to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /**
     * The files holding the weights of {@code dir}: the shards its index lists or its single weights file, safetensors
     * preferred ({@link HfWeights#files}).
     */
    static List<String> weightFiles(Path dir) throws IOException {
        return HfWeights.files(dir);
    }
}
