package dev.recur.layers.griffin;

import dev.recur.core.ops.Arithmetic;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.ops.Linear;

/** A PyTorch {@code nn.Linear}: {@code y = x W^T + b}, weight {@code [out, in]}, bias {@code [out]} or null. */
record Projection(Tensor weight, Tensor bias) {
    Tensor apply(Tensor x) {
        Tensor y = Linear.apply(x, weight);
        return bias == null ? y : Arithmetic.add(y, bias);
    }
}
