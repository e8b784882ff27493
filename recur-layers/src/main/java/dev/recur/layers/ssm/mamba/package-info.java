/**
 * Mamba (S6) language models (Gu and Dao 2023, "Mamba: Linear-Time Sequence Modeling with Selective State
 * Spaces") with transformers' {@code MambaForCausalLM} and {@code FalconMambaForCausalLM} numerics, loaded from
 * HF checkpoints. {@link dev.recur.layers.ssm.mamba.MambaLm} is the model, {@link dev.recur.layers.ssm.mamba.MambaConfig}
 * its sizes, {@link dev.recur.layers.ssm.mamba.MambaArchitecture} its registry entry; the scan itself is
 * {@link dev.recur.core.scan.selective.SelectiveScan}.
 */
package dev.recur.layers.ssm.mamba;
