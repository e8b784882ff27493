/**
 * The byte-level LSTM language model Recur trains itself ({@link dev.recur.layers.rnn.bytelm.ByteLstmLm}, model
 * type {@code recur_lstm}): an embedding, a stack of PyTorch-convention LSTM layers and a head. A model is a folder
 * ({@code config.json} with {@code "tokenizer": "bytes"} and {@code model.safetensors}) that loads exactly as any
 * other checkpoint.
 */
package dev.recur.layers.rnn.bytelm;
