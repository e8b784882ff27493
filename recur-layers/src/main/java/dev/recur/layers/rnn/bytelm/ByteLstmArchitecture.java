package dev.recur.layers.rnn.bytelm;

import dev.recur.layers.lm.ModelFolder;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.HfArchitecture;
import dev.recur.layers.lm.HfConfig;
import dev.recur.layers.lm.HfWeights;
import java.util.Set;

/** Reads {@code recur_lstm} folders (as {@link ModelFolder} writes them) into a {@link ByteLstmLm}. */
public final class ByteLstmArchitecture implements HfArchitecture {
    @Override
    public Set<String> modelTypes() {
        return Set.of(ByteLstmConfig.MODEL_TYPE);
    }

    @Override
    public CausalLm build(HfConfig config, HfWeights weights) {
        return ByteLstmLm.load(ByteLstmConfig.fromHf(config), weights);
    }
}
