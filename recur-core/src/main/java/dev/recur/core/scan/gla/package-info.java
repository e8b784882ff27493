/**
 * Linear attention with diagonal (per-key-dimension) decay: the family whose state update is
 * {@code S_t = diag(alpha_t) S_{t-1} + k_t v_t^T} with read-out {@code o_t = S_t^T q_t}, one package for the
 * variants that share those kernels. {@link dev.recur.core.scan.gla.LinearAttention} (Katharopoulos et al. 2020,
 * no decay), {@link dev.recur.core.scan.gla.Gla} (gated linear attention, Yang et al. 2024) and
 * {@link dev.recur.core.scan.gla.Hgrn2} (HGRN-2, Qin et al. 2024: GLA with key {@code 1 - f_t}) are the
 * differentiable ops and one-token steps; {@link dev.recur.core.scan.gla.GlaReference} the sequential ground
 * truth, forward and backward; {@link dev.recur.core.scan.gla.GlaChunked} the chunkwise-parallel forward on
 * matrix products.
 *
 * <p>Recur's linear-recurrence families live in sibling packages of {@code dev.recur.core.scan}: this one
 * ({@code gla}), {@code delta} (DeltaNet and Gated DeltaNet) and {@code lightnet} (LightNet's additive
 * recurrence, on this package's kernels). Every shape is batch-first,
 * {@code [B, T, H, D]}; states are {@code [B, H, K, V]}.
 */
package dev.recur.core.scan.gla;
