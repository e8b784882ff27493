package dev.recur.layers.ssm.s4d;

import dev.recur.core.ops.Arithmetic;
import dev.recur.core.tensor.Tensor;

/** Complex arithmetic on pairs of real tensors, composed of differentiable (broadcasting) ops. */
final class Complex {
    private Complex() {}

    /** {@code (ar + i ai)(br + i bi)} as {@code {re, im}}. */
    static Tensor[] mul(Tensor ar, Tensor ai, Tensor br, Tensor bi) {
        Tensor re = Arithmetic.sub(Arithmetic.mul(ar, br), Arithmetic.mul(ai, bi));
        Tensor im = Arithmetic.add(Arithmetic.mul(ar, bi), Arithmetic.mul(ai, br));
        return new Tensor[] {re, im};
    }
}
