package dev.recur.layers.rwkv;

import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.HfArchitecture;
import dev.recur.layers.lm.HfConfig;
import dev.recur.layers.lm.HfWeights;
import java.util.Set;

/** Reads transformers' {@code RwkvForCausalLM} checkpoints ({@code model_type} {@code rwkv}, RWKV-4). */
public final class RwkvArchitecture implements HfArchitecture {
    @Override
    public Set<String> modelTypes() {
        return Set.of("rwkv");
    }

    @Override
    public CausalLm build(HfConfig config, HfWeights weights) {
        RwkvConfig rwkv = RwkvConfig.from(config);
        RwkvModel model = new RwkvModel(rwkv, weights::take);
        if (rwkv.tieWordEmbeddings() && weights.has("head.weight")) {
            // A tied checkpoint may still store the head; the embedding matrix is used in its place.
            weights.skip("head.weight");
        }
        return model;
    }
}
