package dev.recur.onnx.graph;

/**
 * A node ready to run: its attributes read and checked when the model was loaded. {@code inputs} line up with
 * the node's input names, null where a name is empty (an optional input left out); the result lines up with
 * its output names and may hold null for an optional output that is not computed.
 */
@FunctionalInterface
public interface NodeKernel {
    Value[] run(Value[] inputs);
}
