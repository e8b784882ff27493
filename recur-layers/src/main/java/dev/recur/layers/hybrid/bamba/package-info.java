/**
 * Bamba (IBM and collaborators, 2024) as transformers' {@code BambaForCausalLM}, in
 * {@link dev.recur.layers.hybrid.bamba.BambaModel}: Mamba-2 layers (the mamba2 family's
 * {@link dev.recur.layers.ssm.mamba2.Mamba2BlockMixer}) and a few grouped-query attention layers (the attention
 * family's {@link dev.recur.layers.attention.AttentionMixer}), every one a {@code block.Mixer}, each followed by a
 * gated MLP from {@code dev.recur.layers.ffn}; its state's names in {@link dev.recur.layers.hybrid.bamba.BambaState};
 * loaded by {@link dev.recur.layers.hybrid.bamba.BambaArchitecture}.
 */
package dev.recur.layers.hybrid.bamba;
