/**
 * Row-wise kernels: softmax, log-softmax, log-sum-exp, RMSNorm and LayerNorm over the contiguous last axis of a
 * {@code [rows, n]} array, forward and backward. Each family has a scalar reference ({@code XxxReference}, plain
 * loops with {@link java.lang.Math#fma}) beside its SIMD twin ({@code XxxVector}, jdk.incubator.vector);
 * {@link dev.recur.core.kernel.rows.RowKernels} picks one by {@link dev.recur.core.kernel.KernelMode}.
 */
package dev.recur.core.kernel.rows;
