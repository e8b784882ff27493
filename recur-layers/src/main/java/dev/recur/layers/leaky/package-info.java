/**
 * Leaky (continuous-time, Euler-discretised) RNNs with a trainable time constant per neuron, after
 * Khajehabdollahi et al. (2023). {@link dev.recur.layers.leaky.LeakyRnnLayer} is the entry point,
 * {@link dev.recur.layers.leaky.LeakyRnnConfig} describes it and {@link dev.recur.layers.leaky.LeakyRnnState} is
 * its explicit, serialisable state. As a layer-spec kind, {@code leaky} ({@link
 * dev.recur.layers.leaky.LeakyMixerKind}) is the block adapter {@link dev.recur.layers.leaky.LeakyBlockMixer}: the
 * tanh layer of width d_model and an output projection.
 */
package dev.recur.layers.leaky;
