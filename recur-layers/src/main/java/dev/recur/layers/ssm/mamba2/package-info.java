/**
 * Mamba-2 (Dao and Gu 2024, "Transformers are SSMs: Generalized Models and Efficient Algorithms Through
 * Structured State Space Duality") as transformers' {@code Mamba2ForCausalLM}: the
 * {@link dev.recur.layers.ssm.mamba2.Mamba2Mixer} (projection, causal convolution, the SSD scan of
 * {@link dev.recur.core.scan.ssd.Ssd}, gated RMSNorm) and the block mixer around it,
 * {@link dev.recur.layers.ssm.mamba2.Mamba2BlockMixer}, which is the stack kind {@code mamba2}
 * ({@link dev.recur.layers.ssm.mamba2.Mamba2MixerKind}) and, loaded from a checkpoint, the mixer of every Mamba-2
 * layer of {@link dev.recur.layers.ssm.mamba2.Mamba2Model} and of Bamba; the causal LM with its per-layer
 * convolution and SSM state is loaded from HF checkpoints by {@link dev.recur.layers.ssm.mamba2.Mamba2Architecture}.
 */
package dev.recur.layers.ssm.mamba2;
