/**
 * The diagonal linear recurrence {@code h_t = a_t * h_{t-1} + b_t}, element-wise over channels, the core of
 * S4D, RG-LRU, HGRN and the gated linear recurrences. {@link dev.recur.core.scan.diagonal.DiagonalScan} is the
 * differentiable op; {@link dev.recur.core.scan.diagonal.DiagonalScanReference} the scalar ground truth;
 * {@link dev.recur.core.scan.diagonal.DiagonalScanVector} the SIMD kernel (across channels), cut into time chunks
 * that threads hand their carries along.
 */
package dev.recur.core.scan.diagonal;
