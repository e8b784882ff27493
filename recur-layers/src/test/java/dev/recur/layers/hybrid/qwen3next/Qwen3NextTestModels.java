package dev.recur.layers.hybrid.qwen3next;

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
import java.util.List;
import java.util.Map;

/**
 * Small random Qwen3-Next checkpoints in the HF folder layout (config.json + model.safetensors), with awkward sizes:
 * vocab 19, hidden 12, five layers (gated attention at 1 and 4, Gated DeltaNet elsewhere), 4 query heads of 8 dims
 * sharing 2 key/value heads with 2 rotary dims, DeltaNet with 2 key heads of 4 dims and 6 value heads of 3 dims
 * (3 value heads per key head), 3 conv taps; dense MLPs of width 10 at layers 1 and 3, mixtures of 3 experts
 * (top 2, width 5) with a shared expert of width 7 at layers 0, 2 and 4.
 */
final class Qwen3NextTestModels {
    static final int VOCAB = 19;
    static final int HIDDEN = 12;
    static final int MLP = 10;
    static final int LAYERS = 5;
    static final int HEADS = 4;
    static final int KV_HEADS = 2;
    static final int HEAD_DIM = 8;
    static final int KEY_HEADS = 2;
    static final int VALUE_HEADS = 6;
    static final int KEY_DIM = 4;
    static final int VALUE_DIM = 3;
    static final int KERNEL = 3;
    static final int EXPERTS = 3;
    static final int EXPERT_MLP = 5;
    static final int SHARED_MLP = 7;
    static final int CONV_CHANNELS = 2 * KEY_HEADS * KEY_DIM + VALUE_HEADS * VALUE_DIM;

    private Qwen3NextTestModels() {}

    static boolean isAttention(int layer) {
        return layer == 1 || layer == 4;
    }

    static boolean isDense(int layer) {
        return layer == 1 || layer == 3;
    }

    static Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("model_type", "qwen3_next");
        c.put("vocab_size", VOCAB);
        c.put("hidden_size", HIDDEN);
        c.put("intermediate_size", MLP);
        c.put("num_hidden_layers", LAYERS);
        c.put("layer_types", List.of("linear_attention", "full_attention", "linear_attention", "linear_attention",
                "full_attention"));
        c.put("num_attention_heads", HEADS);
        c.put("num_key_value_heads", KV_HEADS);
        c.put("head_dim", HEAD_DIM);
        Map<String, Object> rope = new LinkedHashMap<>();
        rope.put("rope_type", "default");
        rope.put("rope_theta", 10000.0);
        rope.put("partial_rotary_factor", 0.25);
        c.put("rope_parameters", rope);
        c.put("linear_num_key_heads", KEY_HEADS);
        c.put("linear_num_value_heads", VALUE_HEADS);
        c.put("linear_key_head_dim", KEY_DIM);
        c.put("linear_value_head_dim", VALUE_DIM);
        c.put("linear_conv_kernel_dim", KERNEL);
        c.put("num_experts", EXPERTS);
        c.put("num_experts_per_tok", 2);
        c.put("moe_intermediate_size", EXPERT_MLP);
        c.put("shared_expert_intermediate_size", SHARED_MLP);
        c.put("norm_topk_prob", true);
        c.put("decoder_sparse_step", 1);
        c.put("mlp_only_layers", List.of(1, 3));
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
            w.put(p + "input_layernorm.weight", Tensor.uniform(rng, -0.3f, 0.3f, HIDDEN));
            w.put(p + "post_attention_layernorm.weight", Tensor.uniform(rng, -0.3f, 0.3f, HIDDEN));
            if (isAttention(i)) {
                String a = p + "self_attn.";
                w.put(a + "q_proj.weight", Tensor.randn(rng, 0.5f, 2 * HEADS * HEAD_DIM, HIDDEN));
                w.put(a + "k_proj.weight", Tensor.randn(rng, 0.5f, KV_HEADS * HEAD_DIM, HIDDEN));
                w.put(a + "v_proj.weight", Tensor.randn(rng, 0.5f, KV_HEADS * HEAD_DIM, HIDDEN));
                w.put(a + "o_proj.weight", Tensor.randn(rng, 0.3f, HIDDEN, HEADS * HEAD_DIM));
                w.put(a + "q_norm.weight", Tensor.uniform(rng, -0.3f, 0.3f, HEAD_DIM));
                w.put(a + "k_norm.weight", Tensor.uniform(rng, -0.3f, 0.3f, HEAD_DIM));
            } else {
                String m = p + "linear_attn.";
                w.put(m + "A_log", Tensor.uniform(rng, -1f, 1f, VALUE_HEADS));
                w.put(m + "conv1d.weight", Tensor.randn(rng, 0.5f, CONV_CHANNELS, 1, KERNEL));
                w.put(m + "dt_bias", Tensor.uniform(rng, -1f, 1f, VALUE_HEADS));
                w.put(m + "in_proj_ba.weight", Tensor.randn(rng, 0.5f, 2 * VALUE_HEADS, HIDDEN));
                w.put(m + "in_proj_qkvz.weight", Tensor.randn(rng, 0.5f,
                        2 * KEY_HEADS * KEY_DIM + 2 * VALUE_HEADS * VALUE_DIM, HIDDEN));
                w.put(m + "norm.weight", Tensor.uniform(rng, 0.5f, 1.5f, VALUE_DIM));
                w.put(m + "out_proj.weight", Tensor.randn(rng, 0.3f, HIDDEN, VALUE_HEADS * VALUE_DIM));
            }
            String f = p + "mlp.";
            if (isDense(i)) {
                mlp(rng, w, f, MLP);
            } else {
                w.put(f + "gate.weight", Tensor.randn(rng, 0.5f, EXPERTS, HIDDEN));
                if (fused) {
                    w.put(f + "experts.gate_up_proj", Tensor.randn(rng, 0.3f, EXPERTS, 2 * EXPERT_MLP, HIDDEN));
                    w.put(f + "experts.down_proj", Tensor.randn(rng, 0.3f, EXPERTS, HIDDEN, EXPERT_MLP));
                } else {
                    for (int e = 0; e < EXPERTS; e++) {
                        mlp(rng, w, f + "experts." + e + ".", EXPERT_MLP);
                    }
                }
                mlp(rng, w, f + "shared_expert.", SHARED_MLP);
                w.put(f + "shared_expert_gate.weight", Tensor.randn(rng, 0.5f, 1, HIDDEN));
            }
        }
        w.put("model.norm.weight", Tensor.uniform(rng, -0.3f, 0.3f, HIDDEN));
        w.put("lm_head.weight", Tensor.randn(rng, 0.3f, VOCAB, HIDDEN));
        return w;
    }

    private static void mlp(Rng rng, Map<String, Tensor> w, String f, int width) {
        w.put(f + "gate_proj.weight", Tensor.randn(rng, 0.3f, width, HIDDEN));
        w.put(f + "up_proj.weight", Tensor.randn(rng, 0.3f, width, HIDDEN));
        w.put(f + "down_proj.weight", Tensor.randn(rng, 0.3f, HIDDEN, width));
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
