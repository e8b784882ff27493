/**
 * RWKV-4 (Peng et al. 2023, "RWKV: Reinventing RNNs for the Transformer Era") as transformers'
 * {@code RwkvForCausalLM}: the {@link dev.recur.core.scan.wkv.Wkv} recurrence with its kernel and hand-written
 * backward, time and channel mixing blocks, and the causal LM loaded from HF checkpoints by
 * {@link dev.recur.layers.rwkv.RwkvArchitecture}. As a layer-spec kind, {@code rwkv} ({@link
 * dev.recur.layers.rwkv.RwkvMixerKind}) is the time mixing alone ({@link dev.recur.layers.rwkv.RwkvBlockMixer});
 * a stack block's MLP stands in for the channel mixing.
 */
package dev.recur.layers.rwkv;
