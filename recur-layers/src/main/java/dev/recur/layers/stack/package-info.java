/**
 * Models built from a list of layer specs: {@link dev.recur.layers.stack.LayerSpec} reads {@code gdn,gdn,attn},
 * {@code mamba2*3+attn} or {@code (gla*3+attn)*2} (or a JSON list) into {@link dev.recur.layers.block.BlockSpec}s
 * whose kinds {@link dev.recur.layers.stack.MixerKinds} (the spec registry) looks up; each becomes a pre-norm
 * residual {@link dev.recur.layers.stack.StackBlock} around the family's own {@link dev.recur.layers.block.Mixer};
 * {@link dev.recur.layers.stack.StackLm} ({@code recur_stack}) puts them between an embedding and a head. Ratios
 * and placement of attention among recurrent blocks are data, not classes.
 */
package dev.recur.layers.stack;
