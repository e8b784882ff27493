/**
 * Classic recurrent layers with PyTorch's conventions and numerics: the Elman RNN (tanh or ReLU), the LSTM (Hochreiter
 * and Schmidhuber, 1997, with the forget gate of Gers et al., 2000; optionally with the projection of Sak et al., 2014,
 * PyTorch's {@code proj_size}) and the GRU (Cho et al., 2014), multi-layer and bidirectional, batch-first or
 * time-major, over full or variable-length batches (PyTorch's packed sequences,
 * {@link dev.recur.layers.rnn.PackedLengths}); and the single cells, {@code nn.RNNCell}, {@code nn.LSTMCell} and
 * {@code nn.GRUCell} ({@link dev.recur.layers.rnn.RnnCell}).
 *
 * <p>{@link dev.recur.layers.rnn.RnnLayer} is the entry point; {@link dev.recur.layers.rnn.RnnConfig} describes it and
 * {@link dev.recur.layers.rnn.RnnState} is its explicit, serialisable state. {@link dev.recur.layers.rnn.TorchModule}
 * runs a PyTorch module folder (the reference case format) and {@link dev.recur.layers.rnn.TorchRnnCase} compares it
 * with what PyTorch computed. Each cell has a fast sequence kernel (per step, each thread's share of the hidden units
 * gets its input and recurrent products and its gate loop in one hand-off; a hand-written BPTT backward with the weight
 * gradients batched over time) and a plain scalar reference twin ({@code XxxCellReference}). The Elman kernel projects
 * all timesteps' inputs in one GEMM first, and so does the projected LSTM ({@code ProjectedLstmSequence}, whose steps
 * are whole-batch GEMMs since the projection needs every unit). As layer-spec kinds
 * ({@link dev.recur.layers.rnn.RnnMixerKind}), {@code lstm}, {@code gru} and {@code elman} (the tanh Elman RNN) are one
 * layer of width d_model each ({@link dev.recur.layers.rnn.RnnBlockMixer}).
 *
 * <p>Beyond PyTorch's cells, {@link dev.recur.layers.rnn.CellVariant} adds what ONNX's {@code LSTM}, {@code GRU} and
 * {@code RNN} operators define: the GRU with the reset gate before the recurrent product ({@code
 * linear_before_reset=0}), LSTM peepholes (a trainable {@code peephole [3H]} per layer and direction) and coupled
 * input and forget gates, clipping of the gate pre-activations, and any of sigmoid, tanh and ReLU
 * ({@link dev.recur.layers.rnn.Activation}) in each activation slot. Their kernels ({@code LstmVariantSequence},
 * {@code GruVariantSequence}, and the Elman kernels themselves) run each step as whole-batch GEMMs and have scalar
 * twins of their own ({@code XxxVariantReference}); PyTorch's configs never reach them.
 */
package dev.recur.layers.rnn;
