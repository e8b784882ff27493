package dev.recur.core.tensor;

/**
 * The record of one op on the autograd graph: its name, its inputs, its outputs and its derivative rule.
 * Outputs are filled in right after construction, once the output tensors exist.
 */
final class Node {
    final String op;
    final Tensor[] inputs;
    final MultiBackwardFn rule;
    Tensor[] outputs;

    Node(String op, Tensor[] inputs, MultiBackwardFn rule) {
        this.op = op;
        this.inputs = inputs;
        this.rule = rule;
    }
}
