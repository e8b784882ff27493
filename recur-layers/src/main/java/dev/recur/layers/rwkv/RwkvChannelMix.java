package dev.recur.layers.rwkv;

import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.tensor.Tensor;

/**
 * RWKV-4 channel mixing (transformers' {@code RwkvFeedForward}):
 * {@code sigmoid(R x_r) * V relu(K x_k)^2}, where {@code x_k} and {@code x_r} interpolate the input and the
 * token-shifted input. Parameters: {@code mixKey, mixReceptance [1, 1, H]}, {@code key [I, H]},
 * {@code receptance [H, H]}, {@code value [H, I]}.
 */
final class RwkvChannelMix {
    private final Tensor mixKey;
    private final Tensor mixReceptance;
    private final Tensor key;
    private final Tensor receptance;
    private final Tensor value;
    private final float valueScale;

    /** {@code valueScale} multiplies the value weight (the inference-time rescaling; 1 when off). */
    RwkvChannelMix(Tensor mixKey, Tensor mixReceptance, Tensor key, Tensor receptance, Tensor value,
                   float valueScale) {
        this.mixKey = mixKey;
        this.mixReceptance = mixReceptance;
        this.key = key;
        this.receptance = receptance;
        this.value = value;
        this.valueScale = valueScale;
    }

    /** {@code x [B, T, H]} (already normalised) from the previous input {@code shift [B, H]} -> {@code [B, T, H]}. */
    Tensor forward(Tensor x, Tensor shift) {
        Tensor shifted = TokenShift.shift(x, shift);
        Tensor k = Arithmetic.square(Activations.relu(TokenShift.linear(TokenShift.mix(x, shifted, mixKey), key)));
        Tensor w = valueScale == 1f ? value : Arithmetic.mul(value, valueScale);
        Tensor v = TokenShift.linear(k, w);
        Tensor r = Activations.sigmoid(TokenShift.linear(TokenShift.mix(x, shifted, mixReceptance), receptance));
        return Arithmetic.mul(r, v);
    }
}
