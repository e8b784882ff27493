/**
 * Single-precision matrix multiply on row-major arrays. {@link dev.recur.core.kernel.gemm.Gemm} validates and
 * dispatches; {@link dev.recur.core.kernel.gemm.GemmReference} is the scalar ground truth and
 * {@link dev.recur.core.kernel.gemm.GemmVector} the packed, register-blocked SIMD kernel that runs on the
 * {@link dev.recur.core.parallel.ComputePool}, with paths for tiny products ({@code GemmSmall}) and for one to
 * four rows ({@code GemmRows}). {@link dev.recur.core.kernel.gemm.GemmPackedB} holds a B packed once for many
 * products (a recurrent weight used at every timestep).
 */
package dev.recur.core.kernel.gemm;
