package dev.recur.layers.ssm.mamba;

import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.HfArchitecture;
import dev.recur.layers.lm.HfConfig;
import dev.recur.layers.lm.HfWeights;
import java.util.Set;

/** Reads transformers' {@code mamba} and {@code falcon_mamba} checkpoints into a {@link MambaLm}. */
public final class MambaArchitecture implements HfArchitecture {
    @Override
    public Set<String> modelTypes() {
        return Set.of("mamba", "falcon_mamba");
    }

    @Override
    public CausalLm build(HfConfig config, HfWeights weights) {
        return MambaLm.load(MambaConfig.fromHf(config), weights);
    }
}
