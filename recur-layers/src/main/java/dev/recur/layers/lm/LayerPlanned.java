package dev.recur.layers.lm;

/** A causal LM that can run its trained layers in another order: see {@link LayerPlan}. */
public interface LayerPlanned {
    /**
     * The same weights (shared, not copied) applying the layers {@code plan} lists; its state has one slot per
     * entry of the plan, named as the model names its layers' states, slot index in place of layer index.
     */
    CausalLm withLayerPlan(LayerPlan plan);
}
