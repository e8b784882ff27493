/**
 * Qwen3-Next causal LMs (transformers' {@code Qwen3NextForCausalLM}): a hybrid of Gated DeltaNet layers (the linear
 * family's {@code GatedDeltaNet} in transformers' fused projection layout) and this package's gated full-attention
 * layers ({@link dev.recur.layers.hybrid.qwen3next.GatedAttention}, 3:1 in the released models), zero-centred
 * RMSNorms, and dense or mixture-of-experts MLPs with a sigmoid-gated shared expert from {@code dev.recur.layers.ffn}.
 * Every token mixer is a {@code block.Mixer}. Loaded from HF checkpoints through {@code HfModels}, with a state that
 * carries the convolution and delta-rule states and the attention caches between chunks.
 */
package dev.recur.layers.hybrid.qwen3next;
