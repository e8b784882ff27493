/**
 * Writing Recur models as ONNX files: PyTorch-style RNN stacks and byte LSTM language models
 * ({@link dev.recur.onnx.export.OnnxExport}), chosen from a model folder by
 * {@link dev.recur.onnx.export.FolderExport}.
 */
package dev.recur.onnx.export;
