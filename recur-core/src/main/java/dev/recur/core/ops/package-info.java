/**
 * Differentiable primitive ops on {@link dev.recur.core.tensor.Tensor}. Each op validates its inputs (naming
 * itself, the expected and the got), computes its output, and records its derivative rule beside the forward.
 */
package dev.recur.core.ops;
