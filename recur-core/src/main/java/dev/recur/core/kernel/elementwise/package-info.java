/**
 * Elementwise and reduction kernels: arithmetic, fused multiply-add loops, sums, and the float32
 * transcendentals ({@code exp}, {@code tanh}, {@code sigmoid}, {@code silu}) with their backward helpers. Each
 * kernel has a SIMD implementation ({@link dev.recur.core.kernel.elementwise.ElementwiseVector}) and a scalar
 * reference twin ({@link dev.recur.core.kernel.elementwise.ElementwiseReference}) that follows the same
 * formulas, selected by {@link dev.recur.core.kernel.KernelMode}.
 */
package dev.recur.core.kernel.elementwise;
