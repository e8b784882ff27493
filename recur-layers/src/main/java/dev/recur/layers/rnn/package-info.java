/**
 * Classic recurrent layers with PyTorch's conventions and numerics: the Elman RNN (tanh or ReLU), the LSTM
 * (Hochreiter and Schmidhuber, 1997, with the forget gate of Gers et al., 2000) and the GRU (Cho et al., 2014),
 * multi-layer and bidirectional, batch-first.
 *
 * <p>{@link dev.recur.layers.rnn.RnnLayer} is the entry point; {@link dev.recur.layers.rnn.RnnConfig} describes
 * it and {@link dev.recur.layers.rnn.RnnState} is its explicit, serialisable state. Each cell has a fast
 * sequence kernel (one GEMM for the input projection of all timesteps, one recurrent GEMM and a fused gate loop
 * per step, a hand-written BPTT backward) and a plain scalar reference twin ({@code XxxCellReference}).
 */
package dev.recur.layers.rnn;
