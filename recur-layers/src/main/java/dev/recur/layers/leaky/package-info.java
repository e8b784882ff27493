/**
 * Leaky (continuous-time, Euler-discretised) RNNs with a trainable time constant per neuron, after
 * Khajehabdollahi et al. (2023). {@link dev.recur.layers.leaky.LeakyRnnLayer} is the entry point,
 * {@link dev.recur.layers.leaky.LeakyRnnConfig} describes it and {@link dev.recur.layers.leaky.LeakyRnnState} is
 * its explicit, serialisable state.
 */
package dev.recur.layers.leaky;
