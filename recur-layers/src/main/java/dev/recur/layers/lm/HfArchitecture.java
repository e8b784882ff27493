package dev.recur.layers.lm;

import java.util.Set;

/** Builds one family of HF causal-LM checkpoints from their config and weights. */
public interface HfArchitecture {
    /** The {@code model_type} values this architecture reads. */
    Set<String> modelTypes();

    /** Builds the model, taking every tensor it needs from {@code weights} (sizes come from the config). */
    CausalLm build(HfConfig config, HfWeights weights);
}
