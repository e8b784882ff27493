package dev.recur.layers.registry;

import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.HfArchitecture;
import dev.recur.layers.lm.HfConfig;
import dev.recur.layers.lm.HfWeights;
import dev.recur.core.RecurException;
import dev.recur.layers.griffin.RecurrentGemmaArchitecture;
import dev.recur.layers.hybrid.bamba.BambaArchitecture;
import dev.recur.layers.hybrid.jamba.JambaArchitecture;
import dev.recur.layers.hybrid.qwen3next.Qwen3NextArchitecture;
import dev.recur.layers.rnn.bytelm.ByteLstmArchitecture;
import dev.recur.layers.rwkv.RwkvArchitecture;
import dev.recur.layers.ssm.mamba.MambaArchitecture;
import dev.recur.layers.ssm.mamba2.Mamba2Architecture;
import dev.recur.layers.stack.StackArchitecture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Loads an HF causal-LM folder ({@code config.json} + safetensors weights) by its {@code model_type}. */
public final class HfModels {
    /** Every architecture Recur reads; add a new family here. */
    private static final List<HfArchitecture> ARCHITECTURES = List.of(
            new BambaArchitecture(),
            new JambaArchitecture(),
            new MambaArchitecture(),
            new Mamba2Architecture(),
            new Qwen3NextArchitecture(),
            new RecurrentGemmaArchitecture(),
            new RwkvArchitecture(),
            new ByteLstmArchitecture(),
            new StackArchitecture());

    private HfModels() {}

    /** The supported {@code model_type} values, sorted, each with its architecture. */
    public static Map<String, HfArchitecture> supported() {
        Map<String, HfArchitecture> m = new TreeMap<>();
        for (HfArchitecture a : ARCHITECTURES) {
            for (String t : a.modelTypes()) {
                m.put(t, a);
            }
        }
        return m;
    }

    public static CausalLm load(Path dir) throws IOException {
        Path configPath = dir.resolve("config.json");
        if (!Files.isRegularFile(configPath)) {
            throw new NoSuchFileException(configPath.toString());
        }
        HfConfig config = HfConfig.read(configPath);
        String type = config.modelType();
        HfArchitecture arch = supported().get(type);
        if (arch == null) {
            throw new RecurException(configPath + ": model_type '" + type + "' is not supported (supported: "
                    + String.join(", ", supported().keySet()) + ")");
        }
        try (HfWeights weights = HfWeights.open(dir)) {
            CausalLm model = arch.build(config, weights);
            weights.requireAllTaken();
            return model;
        }
    }
}
