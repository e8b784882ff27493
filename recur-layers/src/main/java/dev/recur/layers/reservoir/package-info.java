/**
 * Reservoir computing: echo state networks (Jaeger, 2001; Lukoševičius, 2012) with a sparse random reservoir
 * scaled to a spectral radius estimated by power iteration, leaky-integrator units, and a linear readout fitted in
 * closed form (ridge regression, Cholesky in double) or online (recursive least squares with forgetting).
 * {@link dev.recur.layers.reservoir.EchoStateNetwork} is the entry point.
 */
package dev.recur.layers.reservoir;
