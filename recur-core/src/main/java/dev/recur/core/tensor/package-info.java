/**
 * Tensors and the reverse-mode autograd graph: {@link dev.recur.core.tensor.Tensor} records the op that made
 * it and that op's derivative rule; {@link dev.recur.core.tensor.GradMode} turns recording off.
 */
package dev.recur.core.tensor;
