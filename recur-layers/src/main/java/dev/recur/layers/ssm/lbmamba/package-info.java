/**
 * Mamba encoders with bi-directional context: LBMamba (Zhang et al. 2025, "LBMamba: Locally Bi-directional
 * Mamba"), whose scan adds a local backward scan over windows of W tokens to the forward selective scan
 * ({@link dev.recur.core.scan.selective.LocalBackwardScan}) in a stack that alternates direction every two layers,
 * next to the unidirectional and the global bi-directional (Vision Mamba) forms to compare with.
 * {@link dev.recur.layers.ssm.lbmamba.LbMambaEncoder} is the stack, built from a
 * {@link dev.recur.layers.ssm.lbmamba.LbMambaConfig}.
 */
package dev.recur.layers.ssm.lbmamba;
