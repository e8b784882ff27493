/**
 * Mamba (S6) (Gu and Dao 2023, "Mamba: Linear-Time Sequence Modeling with Selective State Spaces"):
 * {@link dev.recur.layers.ssm.mamba.MambaMixer} with transformers' numerics, sized by
 * {@link dev.recur.layers.ssm.mamba.MambaMixerConfig} (projection biases, and the dt/B/C norms of FalconMamba and
 * Jamba), is the one Mamba mixer: {@link dev.recur.layers.ssm.mamba.MambaLm} runs it for
 * {@code MambaForCausalLM} and {@code FalconMambaForCausalLM} ({@link dev.recur.layers.ssm.mamba.MambaConfig} its
 * sizes, {@link dev.recur.layers.ssm.mamba.MambaArchitecture} its registry entry), and the block mixer
 * {@link dev.recur.layers.ssm.mamba.MambaBlockMixer} around it is the stack kind {@code mamba}
 * ({@link dev.recur.layers.ssm.mamba.MambaMixerKind}, initialised by {@link dev.recur.layers.ssm.mamba.MambaInit})
 * and Jamba's Mamba layers. The scan itself is {@link dev.recur.core.scan.selective.SelectiveScan}.
 */
package dev.recur.layers.ssm.mamba;
