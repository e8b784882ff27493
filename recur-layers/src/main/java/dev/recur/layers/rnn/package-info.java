/**
 * Classic recurrent layers with PyTorch's conventions and numerics: the Elman RNN (tanh or ReLU), the LSTM
 * (Hochreiter and Schmidhuber, 1997, with the forget gate of Gers et al., 2000) and the GRU (Cho et al., 2014),
 * multi-layer and bidirectional, batch-first.
 *
 * <p>{@link dev.recur.layers.rnn.RnnLayer} is the entry point; {@link dev.recur.layers.rnn.RnnConfig} describes
 * it and {@link dev.recur.layers.rnn.RnnState} is its explicit, serialisable state. Each cell has a fast
 * sequence kernel (per step, each thread's share of the hidden units gets its input and recurrent products and
 * its gate loop in one hand-off; a hand-written BPTT backward with the weight gradients batched over time) and a
 * plain scalar reference twin ({@code XxxCellReference}). The Elman kernel projects all timesteps' inputs in one
 * GEMM first. As layer-spec kinds ({@link dev.recur.layers.rnn.RnnMixerKind}), {@code lstm}, {@code gru} and
 * {@code elman} (the tanh Elman RNN) are one layer of width d_model each ({@link
 * dev.recur.layers.rnn.RnnBlockMixer}).
 */
package dev.recur.layers.rnn;
