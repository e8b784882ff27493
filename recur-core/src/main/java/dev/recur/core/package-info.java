/**
 * Recur's core: tensors and autograd ({@code tensor}, {@code ops}), SIMD kernels with scalar reference twins
 * ({@code kernel}), safetensors I/O ({@code io}), deterministic random numbers ({@code random}) and the compute
 * pool ({@code parallel}). Nothing here depends on layers, training or the command line.
 */
package dev.recur.core;
