package dev.recur.layers.hybrid.jamba;

import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.HfArchitecture;
import dev.recur.layers.lm.HfConfig;
import dev.recur.layers.lm.HfWeights;
import dev.recur.layers.lm.WeightSource;
import java.util.Set;

/** Reads transformers' {@code JambaForCausalLM} checkpoints ({@code model_type} {@code jamba}). */
public final class JambaArchitecture implements HfArchitecture {
    @Override
    public Set<String> modelTypes() {
        return Set.of("jamba");
    }

    @Override
    public CausalLm build(HfConfig config, HfWeights weights) {
        JambaConfig parsed = JambaConfig.fromHf(config);
        JambaModel model = new JambaModel(parsed, WeightSource.of(weights));
        if (parsed.tieWordEmbeddings() && weights.has("lm_head.weight")) {
            // The head is tied to the embeddings; a checkpoint may still store a copy.
            weights.skip("lm_head.weight");
        }
        return model;
    }
}
