package dev.recur.core.tensor;

/** The record of one op on the autograd graph: its name, its inputs and its derivative rule. */
record Node(String op, Tensor[] inputs, BackwardFn rule) {}
