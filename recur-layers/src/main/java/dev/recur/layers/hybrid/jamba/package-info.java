/**
 * Jamba (Lieber et al. 2024, "Jamba: A Hybrid Transformer-Mamba Language Model") with transformers'
 * {@code JambaForCausalLM} numerics, loaded from HF checkpoints: the mamba family's Mamba mixer (with Jamba's
 * weighted dt/B/C norms) interleaved with the attention family's attention, every one a {@code block.Mixer}, each
 * followed by a gated MLP or a sparse mixture of experts from {@code dev.recur.layers.ffn}.
 * {@link dev.recur.layers.hybrid.jamba.JambaModel} is the model, {@link dev.recur.layers.hybrid.jamba.JambaConfig}
 * its sizes, {@link dev.recur.layers.hybrid.jamba.JambaState} its state's names,
 * {@link dev.recur.layers.hybrid.jamba.JambaArchitecture} its registry entry.
 */
package dev.recur.layers.hybrid.jamba;
