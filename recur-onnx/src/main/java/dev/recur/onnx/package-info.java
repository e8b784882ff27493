/**
 * ONNX for Recur, an optional module that the library never depends on. {@link dev.recur.onnx.OnnxModel} loads
 * ONNX graphs of {@code LSTM}, {@code GRU} and {@code RNN} nodes (and the glue around them) and runs them on
 * Recur's {@code RnnLayer}; {@link dev.recur.onnx.export.OnnxExport} writes Recur models as such graphs. The
 * file format comes from {@code src/main/proto/onnx_subset.proto}, compiled to {@code dev.recur.onnx.proto}
 * at build time. See docs/onnx.md.
 */
package dev.recur.onnx;
