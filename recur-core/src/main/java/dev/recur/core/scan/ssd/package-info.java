/**
 * Mamba-2's state-space duality (SSD; Dao and Gu 2024, "Transformers are SSMs: Generalized Models and Efficient
 * Algorithms Through Structured State Space Duality"): a selective scan whose state matrix is a scalar times
 * the identity per head. {@link dev.recur.core.scan.ssd.Ssd} is the differentiable op and the one-token step;
 * {@link dev.recur.core.scan.ssd.SsdReference} the sequential ground truth (forward and backward);
 * {@link dev.recur.core.scan.ssd.SsdChunked} the chunked forward built on matrix products.
 */
package dev.recur.core.scan.ssd;
