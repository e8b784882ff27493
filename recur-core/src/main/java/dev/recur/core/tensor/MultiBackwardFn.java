package dev.recur.core.tensor;

/**
 * The derivative rule of an op with several outputs (a fused recurrence returning its output sequence and its
 * final state, say). It runs once, after every output's gradient is complete; an output that received no
 * gradient is passed as an array of zeros.
 */
@FunctionalInterface
public interface MultiBackwardFn {
    void backward(float[][] gradOutputs);
}
