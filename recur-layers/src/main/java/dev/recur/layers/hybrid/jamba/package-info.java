/**
 * Jamba (Lieber et al. 2024, "Jamba: A Hybrid Transformer-Mamba Language Model") with transformers'
 * {@code JambaForCausalLM} numerics, loaded from HF checkpoints: Mamba mixers with normalised dt/B/C interleaved
 * with attention layers, each followed by a gated MLP or a sparse mixture of experts.
 * {@link dev.recur.layers.hybrid.jamba.JambaModel} is the model, {@link dev.recur.layers.hybrid.jamba.JambaConfig}
 * its sizes, {@link dev.recur.layers.hybrid.jamba.JambaState} its state's names,
 * {@link dev.recur.layers.hybrid.jamba.JambaArchitecture} its registry entry.
 */
package dev.recur.layers.hybrid.jamba;
