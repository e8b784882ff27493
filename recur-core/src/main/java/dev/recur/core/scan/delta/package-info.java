/**
 * The delta rule family: DeltaNet ({@link dev.recur.core.scan.delta.DeltaRule}; Schlag et al. 2021, Yang et al.
 * 2024) and Gated DeltaNet ({@link dev.recur.core.scan.delta.GatedDeltaRule}; Yang et al. 2025, the linear
 * attention of Qwen3-Next), whose state update {@code S_t = alpha_t (I - beta_t k_t k_t^T) S_{t-1} +
 * beta_t k_t v_t^T} overwrites what the state holds along {@code k_t} rather than adding to it.
 * {@link dev.recur.core.scan.delta.DeltaReference} is the sequential ground truth (forward and checkpointed
 * backward); {@link dev.recur.core.scan.delta.DeltaChunked} the chunkwise-parallel forward through the WY / UT
 * representation on matrix products, with a chunked backward on matrix products as well. Shapes are batch-first, {@code [B, T, H, D]}; states {@code [B, H, K, V]}.
 */
package dev.recur.core.scan.delta;
