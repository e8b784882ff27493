package dev.recur.onnx.graph;

import dev.recur.core.RecurException;
import dev.recur.onnx.proto.NodeProto;

/**
 * Where a node sits, for error messages: {@code model.onnx: node 'lstm1' (LSTM)}, or {@code node #3 (LSTM)}
 * for a node without a name ({@code index} counts the graph's nodes from 0).
 */
public record NodeLabel(String source, int index, String name, String opType) {
    public static NodeLabel of(String source, int index, NodeProto node) {
        return new NodeLabel(source, index, node.getName(), node.getOpType());
    }

    /** An error about this node: its label, a colon, then {@code message}. */
    public RecurException error(String message) {
        return new RecurException(this + ": " + message);
    }

    @Override
    public String toString() {
        return source + ": node " + (name.isEmpty() ? "#" + index : "'" + name + "'") + " (" + opType + ")";
    }
}
