package dev.recur.layers.griffin;

import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.HfArchitecture;
import dev.recur.layers.lm.HfConfig;
import dev.recur.layers.lm.HfWeights;
import java.util.Set;

/** Reads transformers' {@code RecurrentGemmaForCausalLM} checkpoints ({@code model_type} {@code recurrent_gemma}). */
public final class RecurrentGemmaArchitecture implements HfArchitecture {
    @Override
    public Set<String> modelTypes() {
        return Set.of("recurrent_gemma");
    }

    @Override
    public CausalLm build(HfConfig config, HfWeights weights) {
        RecurrentGemmaConfig parsed = RecurrentGemmaConfig.from(config);
        RecurrentGemmaModel model = new RecurrentGemmaModel(parsed, weights::take);
        if (parsed.tieWordEmbeddings() && weights.has("lm_head.weight")) {
            // The head is tied to the embeddings; a checkpoint may still store a copy.
            weights.skip("lm_head.weight");
        }
        return model;
    }
}
