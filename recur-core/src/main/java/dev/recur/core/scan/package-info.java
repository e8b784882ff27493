/**
 * Linear-recurrence scan kernels, one package per family: {@code diagonal} (h_t = a_t * h_{t-1} + b_t),
 * {@code selective} (Mamba's selective scan, S6) and {@code ssd} (Mamba-2's state-space duality). Each family
 * has a scalar reference twin beside its fast kernels, a hand-written backward, and a differentiable op that
 * takes an initial state and returns the final state.
 */
package dev.recur.core.scan;
