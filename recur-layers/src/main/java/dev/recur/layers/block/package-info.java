/**
 * The block contract every family's token mixer implements: {@link dev.recur.layers.block.Mixer} (a sequence
 * {@code [B, T, D]} and an explicit {@link dev.recur.layers.block.MixerState} in, the same shape and the next
 * state out), the {@link dev.recur.layers.block.MixerKind} a family declares for each spec name, the
 * {@link dev.recur.layers.block.BlockSpec} a layer spec parses into, and where a block takes its parameters from
 * ({@link dev.recur.layers.block.Params}: drawn from a seed or loaded from a checkpoint). Stacks and the HF hybrids
 * are built from these blocks; this package names no family.
 */
package dev.recur.layers.block;
