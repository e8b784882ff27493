/**
 * Running ONNX graphs: values ({@link dev.recur.onnx.graph.Value}), TensorProto decoding, node attributes, the
 * compiled program ({@link dev.recur.onnx.graph.GraphProgram}) and the non-recurrent operators
 * ({@link dev.recur.onnx.graph.ShapeOps}, {@link dev.recur.onnx.graph.MathOps}).
 */
package dev.recur.onnx.graph;
