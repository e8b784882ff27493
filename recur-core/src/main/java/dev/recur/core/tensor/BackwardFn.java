package dev.recur.core.tensor;

/**
 * The derivative rule of one recorded op: given the gradient of the loss with respect to the op's output,
 * add ({@code +=}) the gradients with respect to its inputs into their gradient buffers.
 */
@FunctionalInterface
public interface BackwardFn {
    void backward(float[] gradOutput);
}
