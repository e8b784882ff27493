/**
 * RWKV-4 (Peng et al. 2023, "RWKV: Reinventing RNNs for the Transformer Era") as transformers'
 * {@code RwkvForCausalLM}: the {@link dev.recur.core.scan.wkv.Wkv} recurrence with its kernel and hand-written
 * backward, time and channel mixing blocks, and the causal LM loaded from HF checkpoints by
 * {@link dev.recur.layers.rwkv.RwkvArchitecture}.
 */
package dev.recur.layers.rwkv;
