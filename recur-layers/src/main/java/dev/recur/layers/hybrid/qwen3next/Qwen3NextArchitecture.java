package dev.recur.layers.hybrid.qwen3next;

import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.HfArchitecture;
import dev.recur.layers.lm.HfConfig;
import dev.recur.layers.lm.HfWeights;
import dev.recur.layers.lm.WeightSource;
import java.util.Set;

/** Reads transformers' {@code Qwen3NextForCausalLM} checkpoints ({@code model_type} {@code qwen3_next}). */
public final class Qwen3NextArchitecture implements HfArchitecture {
    @Override
    public Set<String> modelTypes() {
        return Set.of("qwen3_next");
    }

    @Override
    public CausalLm build(HfConfig config, HfWeights weights) {
        Qwen3NextConfig parsed = Qwen3NextConfig.fromHf(config);
        Qwen3NextModel model = new Qwen3NextModel(parsed, WeightSource.of(weights));
        if (parsed.tieWordEmbeddings() && weights.has("lm_head.weight")) {
            // The head is tied to the embeddings; a checkpoint may still store a copy.
            weights.skip("lm_head.weight");
        }
        return model;
    }
}
