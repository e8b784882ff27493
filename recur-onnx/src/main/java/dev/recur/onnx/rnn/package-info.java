/**
 * ONNX's {@code LSTM}, {@code GRU} and {@code RNN} operators mapped onto Recur's {@code RnnLayer}: the gate
 * orders ({@link dev.recur.onnx.rnn.GateOrder}), the node's attributes ({@link dev.recur.onnx.rnn.RecurrentNode}),
 * the kernel and, in one class, what is refused ({@link dev.recur.onnx.rnn.RnnRefusals}).
 */
package dev.recur.onnx.rnn;
