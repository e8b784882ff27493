package dev.recur.layers.stack;

import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.HfArchitecture;
import dev.recur.layers.lm.HfConfig;
import dev.recur.layers.lm.HfWeights;
import java.util.Set;

/** Reads {@code recur_stack} folders ({@code config.json} with the layer spec, and the weights) into a {@link StackLm}. */
public final class StackArchitecture implements HfArchitecture {
    @Override
    public Set<String> modelTypes() {
        return Set.of(StackConfig.MODEL_TYPE);
    }

    @Override
    public CausalLm build(HfConfig config, HfWeights weights) {
        return StackLm.load(StackConfig.fromHf(config), weights);
    }
}
