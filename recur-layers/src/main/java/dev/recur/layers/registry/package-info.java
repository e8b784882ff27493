/**
 * The registries: the only classes that list families. {@link dev.recur.layers.registry.HfModels} maps every
 * supported HF {@code model_type} to its architecture and loads a checkpoint folder;
 * {@link dev.recur.layers.registry.ByteModel} names the byte-level models {@code recur train} creates; and
 * {@link dev.recur.layers.registry.HfReferenceCase} runs a reference case through whichever architecture it names.
 * (The layer-spec kinds are listed by {@code dev.recur.layers.stack.MixerKinds}.)
 */
package dev.recur.layers.registry;
