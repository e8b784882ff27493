/**
 * Single-precision matrix multiply on row-major arrays. {@link dev.recur.core.kernel.gemm.Gemm} validates and
 * dispatches; {@link dev.recur.core.kernel.gemm.GemmReference} is the scalar ground truth and
 * {@link dev.recur.core.kernel.gemm.GemmVector} the packed, register-blocked SIMD kernel that runs on the
 * {@link dev.recur.core.parallel.ComputePool}.
 */
package dev.recur.core.kernel.gemm;
