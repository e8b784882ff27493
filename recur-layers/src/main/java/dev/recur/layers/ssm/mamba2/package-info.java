/**
 * Mamba-2 (Dao and Gu 2024, "Transformers are SSMs: Generalized Models and Efficient Algorithms Through
 * Structured State Space Duality") as transformers' {@code Mamba2ForCausalLM}: the
 * {@link dev.recur.layers.ssm.mamba2.Mamba2Mixer} (projection, causal convolution, the SSD scan of
 * {@link dev.recur.core.scan.ssd.Ssd}, gated RMSNorm), the causal LM
 * {@link dev.recur.layers.ssm.mamba2.Mamba2Model} with its per-layer convolution and SSM state, loaded from HF
 * checkpoints by {@link dev.recur.layers.ssm.mamba2.Mamba2Architecture}.
 */
package dev.recur.layers.ssm.mamba2;
