package dev.recur.layers.ssm.mamba2;

import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.HfArchitecture;
import dev.recur.layers.lm.HfConfig;
import dev.recur.layers.lm.HfWeights;
import java.util.Set;

/** Reads transformers' {@code Mamba2ForCausalLM} checkpoints ({@code model_type} {@code mamba2}). */
public final class Mamba2Architecture implements HfArchitecture {
    private static final String EMBEDDINGS = "backbone.embeddings.weight";
    /** The name older conversions use, which transformers renames on load. */
    private static final String EMBEDDING_ALIAS = "backbone.embedding.weight";

    @Override
    public Set<String> modelTypes() {
        return Set.of("mamba2");
    }

    @Override
    public CausalLm build(HfConfig config, HfWeights weights) {
        Mamba2Config mamba2 = Mamba2Config.from(config);
        Mamba2Model model = new Mamba2Model(mamba2, (name, shape) -> {
            if (name.equals(EMBEDDINGS) && !weights.has(EMBEDDINGS) && weights.has(EMBEDDING_ALIAS)) {
                return weights.take(EMBEDDING_ALIAS, shape);
            }
            return weights.take(name, shape);
        });
        if (mamba2.tieWordEmbeddings() && weights.has("lm_head.weight")) {
            // A tied checkpoint may still store the head; the embedding matrix is used in its place.
            weights.skip("lm_head.weight");
        }
        return model;
    }
}
