/**
 * The model contract every family builds on: {@link dev.recur.layers.lm.CausalLm} (ids in, logits and an
 * explicit, serialisable {@link dev.recur.layers.lm.LmState} out), the HF checkpoint plumbing an architecture
 * reads its config and weights through ({@link dev.recur.layers.lm.HfConfig}, {@link dev.recur.layers.lm.HfWeights},
 * {@link dev.recur.layers.lm.HfArchitecture}), the model-folder writer, the next-token loss, generation with an
 * explicit state and layer plans. Nothing here names a family; the registries above the families do.
 */
package dev.recur.layers.lm;
