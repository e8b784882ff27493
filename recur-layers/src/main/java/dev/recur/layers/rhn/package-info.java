/**
 * Recurrent highway networks (Zilly et al., 2017): several highway micro-steps per token with coupled transform
 * and carry gates. {@link dev.recur.layers.rhn.RhnLayer} is the entry point, {@link dev.recur.layers.rhn.RhnConfig}
 * describes it and {@link dev.recur.layers.rhn.RhnState} is its explicit, serialisable state. As a layer-spec kind,
 * {@code rhn} ({@link dev.recur.layers.rhn.RhnMixerKind}) is the block adapter
 * {@link dev.recur.layers.rhn.RhnBlockMixer}: the layer of width d_model and an output projection.
 */
package dev.recur.layers.rhn;
