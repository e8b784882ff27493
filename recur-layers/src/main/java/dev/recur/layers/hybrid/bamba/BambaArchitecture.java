package dev.recur.layers.hybrid.bamba;

import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.HfArchitecture;
import dev.recur.layers.lm.HfConfig;
import dev.recur.layers.lm.HfWeights;
import java.util.Set;

/** Reads transformers' {@code BambaForCausalLM} checkpoints ({@code model_type} {@code bamba}). */
public final class BambaArchitecture implements HfArchitecture {
    @Override
    public Set<String> modelTypes() {
        return Set.of("bamba");
    }

    @Override
    public CausalLm build(HfConfig config, HfWeights weights) {
        BambaConfig bamba = BambaConfig.from(config);
        BambaModel model = new BambaModel(bamba, weights::take);
        if (bamba.tieWordEmbeddings() && weights.has(BambaModel.HEAD)) {
            // A tied checkpoint may still store the head; the embedding matrix is used in its place.
            weights.skip(BambaModel.HEAD);
        }
        return model;
    }
}
