package dev.recur.layers.hybrid.jamba;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.registry.HfModels;
import dev.recur.layers.testing.HfFolders;
import dev.recur.layers.testing.TestTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Small random Jamba checkpoints in the HF folder layout (config.json + model.safetensors), with awkward sizes:
 * vocab 19, hidden 12, MLP width 10, five layers (attention at 1 and 4, Mamba elsewhere), mixtures of 3 experts
 * (top 2) at layers 0, 2 and 4, 4 query heads of 3 dims sharing 2 key/value heads, Mamba inner width 24, state 5,
 * 3 conv taps, dt rank 3.
 */
final class JambaTestModels {
    static final int VOCAB = 19;
    static final int HIDDEN = 12;
    static final int MLP = 10;
    static final int LAYERS = 5;
    static final int EXPERTS = 3;
    static final int HEADS = 4;
    static final int KV_HEADS = 2;
    static final int HEAD_DIM = 3;
    static final int INNER = 24;
    static final int STATE = 5;
    static final int KERNEL = 3;
    static final int RANK = 3;

    private JambaTestModels() {}

    static Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("model_type", "jamba");
        c.put("vocab_size", VOCAB);
        c.put("hidden_size", HIDDEN);
        c.put("intermediate_size", MLP);
        c.put("num_hidden_layers", LAYERS);
        c.put("attn_layer_period", 3);
        c.put("attn_layer_offset", 1);
        c.put("expert_layer_period", 2);
        c.put("expert_layer_offset", 0);
        c.put("num_experts", EXPERTS);
        c.put("num_experts_per_tok", 2);
        c.put("num_attention_heads", HEADS);
        c.put("num_key_value_heads", KV_HEADS);
        c.put("mamba_expand", INNER / HIDDEN);
        c.put("mamba_d_state", STATE);
        c.put("mamba_d_conv", KERNEL);
        c.put("mamba_dt_rank", RANK);
        c.put("mamba_conv_bias", true);
        c.put("mamba_proj_bias", false);
        c.put("rms_norm_eps", 1e-6);
        c.put("hidden_act", "silu");
        c.put("tie_word_embeddings", false);
        return c;
    }

    /**
     * Random weights for {@link #config()} under transformers' names; {@code fused}: transformers 5's expert layout.
     */
    static Map<String, Tensor> weights(long seed, boolean fused) {
        Rng rng = new Rng(seed);
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("model.embed_tokens.weight", Tensor.randn(rng, 1f, VOCAB, HIDDEN));
        for (int i = 0; i < LAYERS; i++) {
            String p = "model.layers." + i + ".";
            w.put(p + "input_layernorm.weight", Tensor.uniform(rng, 0.5f, 1.5f, HIDDEN));
            w.put(p + "pre_ff_layernorm.weight", Tensor.uniform(rng, 0.5f, 1.5f, HIDDEN));
            if (i % 3 == 1) {
                String a = p + "self_attn.";
                w.put(a + "q_proj.weight", Tensor.randn(rng, 0.5f, HEADS * HEAD_DIM, HIDDEN));
                w.put(a + "k_proj.weight", Tensor.randn(rng, 0.5f, KV_HEADS * HEAD_DIM, HIDDEN));
                w.put(a + "v_proj.weight", Tensor.randn(rng, 0.5f, KV_HEADS * HEAD_DIM, HIDDEN));
                w.put(a + "o_proj.weight", Tensor.randn(rng, 0.3f, HIDDEN, HEADS * HEAD_DIM));
            } else {
                mamba(rng, w, p + "mamba.");
            }
            String f = p + "feed_forward.";
            if (i % 2 == 0) {
                w.put(f + "router.weight", Tensor.randn(rng, 0.5f, EXPERTS, HIDDEN));
                if (fused) {
                    w.put(f + "experts.gate_up_proj", Tensor.randn(rng, 0.3f, EXPERTS, 2 * MLP, HIDDEN));
                    w.put(f + "experts.down_proj", Tensor.randn(rng, 0.3f, EXPERTS, HIDDEN, MLP));
                } else {
                    for (int e = 0; e < EXPERTS; e++) {
                        mlp(rng, w, f + "experts." + e + ".");
                    }
                }
            } else {
                mlp(rng, w, f);
            }
        }
        w.put("model.final_layernorm.weight", Tensor.uniform(rng, 0.5f, 1.5f, HIDDEN));
        w.put("lm_head.weight", Tensor.randn(rng, 0.3f, VOCAB, HIDDEN));
        return w;
    }

    private static void mamba(Rng rng, Map<String, Tensor> w, String m) {
        float[] aLog = new float[INNER * STATE];
        for (int j = 0; j < aLog.length; j++) {
            aLog[j] = (float) Math.log(1 + j % STATE) + 0.1f * (float) rng.nextGaussian();
        }
        w.put(m + "A_log", Tensor.of(aLog, INNER, STATE));
        w.put(m + "D", Tensor.uniform(rng, 0.5f, 1.5f, INNER));
        w.put(m + "conv1d.weight", Tensor.randn(rng, 0.4f, INNER, 1, KERNEL));
        w.put(m + "conv1d.bias", Tensor.randn(rng, 0.1f, INNER));
        w.put(m + "dt_layernorm.weight", Tensor.uniform(rng, 0.5f, 1.5f, RANK));
        w.put(m + "b_layernorm.weight", Tensor.uniform(rng, 0.5f, 1.5f, STATE));
        w.put(m + "c_layernorm.weight", Tensor.uniform(rng, 0.5f, 1.5f, STATE));
        w.put(m + "dt_proj.weight", Tensor.randn(rng, 0.5f, INNER, RANK));
        w.put(m + "dt_proj.bias", Tensor.uniform(rng, -4f, -1f, INNER));
        w.put(m + "in_proj.weight", Tensor.randn(rng, 0.3f, 2 * INNER, HIDDEN));
        w.put(m + "x_proj.weight", Tensor.randn(rng, 0.3f, RANK + 2 * STATE, INNER));
        w.put(m + "out_proj.weight", Tensor.randn(rng, 0.3f, HIDDEN, INNER));
    }

    private static void mlp(Rng rng, Map<String, Tensor> w, String f) {
        w.put(f + "gate_proj.weight", Tensor.randn(rng, 0.3f, MLP, HIDDEN));
        w.put(f + "up_proj.weight", Tensor.randn(rng, 0.3f, MLP, HIDDEN));
        w.put(f + "down_proj.weight", Tensor.randn(rng, 0.3f, HIDDEN, MLP));
    }

    /** A random model written to {@code dir} and loaded back through the registry. */
    static CausalLm load(Path dir, long seed, boolean fused) throws IOException {
        return HfModels.load(HfFolders.write(dir, config(), weights(seed, fused)));
    }

    /** Seeded ids over this test model's vocabulary. */
    static IntTensor ids(long seed, int batch, int steps) {
        return TestTensors.ids(seed, VOCAB, batch, steps);
    }
}
