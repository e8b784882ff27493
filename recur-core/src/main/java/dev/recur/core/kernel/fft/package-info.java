/**
 * The fast Fourier transform: {@link dev.recur.core.kernel.fft.Fft}, an iterative radix-2 complex transform in
 * double precision over power-of-two sizes, and the zero-padded linear convolution built on it. Its ground truth
 * is the direct O(n^2) DFT written in the tests.
 */
package dev.recur.core.kernel.fft;
