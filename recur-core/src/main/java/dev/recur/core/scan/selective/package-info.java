/**
 * Mamba's selective scan (S6; Gu and Dao 2023, "Mamba: Linear-Time Sequence Modeling with Selective State
 * Spaces"), with the semantics of the reference {@code selective_scan_ref} and of HF transformers' MambaMixer
 * slow path. {@link dev.recur.core.scan.selective.SelectiveScan} is the differentiable op (and the one-token
 * step); {@link dev.recur.core.scan.selective.SelectiveScanReference} the scalar ground truth;
 * {@link dev.recur.core.scan.selective.SelectiveScanVector} the SIMD kernel, vectorised across channels, whose
 * backward recomputes states from checkpoints instead of storing them. {@link
 * dev.recur.core.scan.selective.LocalBackwardScan} is LBMamba's local backward scan over windows (Zhang et al.
 * 2025), added to the selective scan's output for a locally bi-directional scan, with its reference and vector
 * kernels.
 */
package dev.recur.core.scan.selective;
