package dev.recur.layers.ssm.mamba;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.registry.HfModels;
import dev.recur.layers.testing.HfFolders;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Small random Mamba checkpoints in the HF folder layout (config.json + model.safetensors), with awkward sizes,
 * for tests that need no reference files.
 */
final class MambaCheckpoints {
    static final int VOCAB = 23;
    static final int HIDDEN = 12;
    static final int INNER = 20;
    static final int STATE = 5;
    static final int KERNEL = 4;
    static final int RANK = 3;
    static final int LAYERS = 2;

    private MambaCheckpoints() {}

    /** The config fields of a small model of {@code modelType}, tied head. */
    static Map<String, Object> config(String modelType) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("model_type", modelType);
        c.put("vocab_size", VOCAB);
        c.put("hidden_size", HIDDEN);
        c.put("intermediate_size", INNER);
        c.put("state_size", STATE);
        c.put("conv_kernel", KERNEL);
        c.put("time_step_rank", RANK);
        c.put("num_hidden_layers", LAYERS);
        c.put("layer_norm_epsilon", 1e-5);
        c.put("use_bias", false);
        c.put("use_conv_bias", true);
        c.put("tie_word_embeddings", true);
        c.put("hidden_act", "silu");
        return c;
    }

    /** Random weights for {@code config} under transformers' names. */
    static Map<String, Tensor> weights(Map<String, Object> config, long seed) {
        Rng rng = new Rng(seed);
        boolean bias = Boolean.TRUE.equals(config.get("use_bias"));
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("backbone.embeddings.weight", Tensor.randn(rng, 1f, VOCAB, HIDDEN));
        for (int i = 0; i < LAYERS; i++) {
            String m = "backbone.layers." + i + ".mixer.";
            float[] aLog = new float[INNER * STATE];
            for (int j = 0; j < aLog.length; j++) {
                aLog[j] = (float) Math.log(1 + j % STATE) + 0.1f * (float) rng.nextGaussian();
            }
            w.put(m + "A_log", Tensor.of(aLog, INNER, STATE));
            w.put(m + "D", Tensor.uniform(rng, 0.5f, 1.5f, INNER));
            w.put(m + "conv1d.weight", Tensor.randn(rng, 0.4f, INNER, 1, KERNEL));
            w.put(m + "conv1d.bias", Tensor.randn(rng, 0.1f, INNER));
            w.put(m + "dt_proj.weight", Tensor.randn(rng, 0.5f, INNER, RANK));
            w.put(m + "dt_proj.bias", Tensor.uniform(rng, -4f, -1f, INNER));
            w.put(m + "in_proj.weight", Tensor.randn(rng, 0.3f, 2 * INNER, HIDDEN));
            w.put(m + "x_proj.weight", Tensor.randn(rng, 0.3f, RANK + 2 * STATE, INNER));
            w.put(m + "out_proj.weight", Tensor.randn(rng, 0.3f, HIDDEN, INNER));
            if (bias) {
                w.put(m + "in_proj.bias", Tensor.randn(rng, 0.1f, 2 * INNER));
                w.put(m + "out_proj.bias", Tensor.randn(rng, 0.1f, HIDDEN));
            }
            w.put("backbone.layers." + i + ".norm.weight", Tensor.uniform(rng, 0.5f, 1.5f, HIDDEN));
        }
        w.put("backbone.norm_f.weight", Tensor.uniform(rng, 0.5f, 1.5f, HIDDEN));
        if (Boolean.FALSE.equals(config.get("tie_word_embeddings"))) {
            w.put("lm_head.weight", Tensor.randn(rng, 0.3f, VOCAB, HIDDEN));
        }
        return w;
    }

    /** A random model of {@code modelType} written to {@code dir} and loaded back through the registry. */
    static CausalLm load(Path dir, String modelType, long seed) throws IOException {
        Map<String, Object> config = config(modelType);
        return HfModels.load(HfFolders.write(dir, config, weights(config, seed)));
    }
}
