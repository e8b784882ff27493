package dev.recur.layers.rwkv;

import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Linear;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.tensor.Tensor;

/**
 * The small tensor steps RWKV's mixing layers share: the token shift (each position sees the previous
 * position's input, the first one the carried state), the per-channel interpolation between the two, and the
 * bias-free {@link Linear} layer.
 */
final class TokenShift {
    private TokenShift() {}

    /** {@code x [B, T, D]} shifted one step later along time, with {@code previous [B, D]} at position 0. */
    static Tensor shift(Tensor x, Tensor previous) {
        int batch = x.dim(0);
        int steps = x.dim(1);
        int width = x.dim(2);
        Tensor first = Reshaping.reshape(previous, batch, 1, width);
        if (steps == 1) {
            return first;
        }
        return Reshaping.concat(1, first, Reshaping.slice(x, 1, 0, steps - 1));
    }

    /** The input at the last position, {@code [B, D]}: the shift state for the next call. */
    static Tensor last(Tensor x) {
        int steps = x.dim(1);
        return Reshaping.reshape(Reshaping.slice(x, 1, steps - 1, steps), x.dim(0), x.dim(2));
    }

    /** {@code x * mix + shifted * (1 - mix)}, with {@code mix [1, 1, D]}, in transformers' order of operations. */
    static Tensor mix(Tensor x, Tensor shifted, Tensor mix) {
        Tensor keep = Arithmetic.add(Arithmetic.neg(mix), 1f);
        return Arithmetic.add(Arithmetic.mul(x, mix), Arithmetic.mul(shifted, keep));
    }

    /** {@code x [..., in] W^T} for a weight {@code [out, in]}. */
    static Tensor linear(Tensor x, Tensor weight) {
        return Linear.apply(x, weight);
    }
}
