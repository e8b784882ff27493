package dev.recur.onnx.graph;

import dev.recur.onnx.proto.NodeProto;

/**
 * Turns one node of an operator type into a {@link NodeKernel}, reading and checking its attributes; an
 * attribute Recur cannot honour is refused here, when the model loads, with an error naming the node.
 */
@FunctionalInterface
public interface OpFactory {
    /**
     * @param node  the node
     * @param label where it sits, for errors
     * @param opset the model's version of the default ONNX domain (some attributes became inputs over time)
     */
    NodeKernel compile(NodeProto node, NodeLabel label, int opset);
}
