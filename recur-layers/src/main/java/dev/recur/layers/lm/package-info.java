/**
 * Causal language models behind one contract ({@link dev.recur.layers.lm.CausalLm}): loading HF checkpoints
 * by {@code model_type} ({@link dev.recur.layers.lm.HfModels}), the next-token loss, generation with an
 * explicit state, and HF reference cases.
 */
package dev.recur.layers.lm;
