/**
 * Bamba (IBM and collaborators, 2024) as transformers' {@code BambaForCausalLM}: a hybrid of Mamba-2
 * mixers ({@link dev.recur.layers.ssm.mamba2.Mamba2Mixer}) and a few grouped-query attention layers
 * ({@link dev.recur.layers.attention.CausalAttention}), each followed by a gated MLP, in
 * {@link dev.recur.layers.hybrid.bamba.BambaModel}; loaded by {@link dev.recur.layers.hybrid.bamba.BambaArchitecture}.
 */
package dev.recur.layers.hybrid.bamba;
