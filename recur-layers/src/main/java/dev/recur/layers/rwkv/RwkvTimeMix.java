package dev.recur.layers.rwkv;

import dev.recur.core.scan.wkv.Wkv;
import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.tensor.Tensor;

/**
 * RWKV-4 time mixing (transformers' {@code RwkvSelfAttention}): key, value and receptance from the token-shifted
 * input, the {@link Wkv} recurrence over keys and values, gated by {@code sigmoid(receptance)}, then the output
 * projection. Parameters: {@code timeDecay, timeFirst [A]}, {@code mixKey, mixValue, mixReceptance [1, 1, H]},
 * {@code key, value, receptance [A, H]}, {@code output [H, A]}.
 */
final class RwkvTimeMix {
    private final Tensor timeDecay;
    private final Tensor timeFirst;
    private final Tensor mixKey;
    private final Tensor mixValue;
    private final Tensor mixReceptance;
    private final Tensor key;
    private final Tensor value;
    private final Tensor receptance;
    private final Tensor output;
    private final float outputScale;

    /** {@code outputScale} multiplies the output weight (the inference-time rescaling; 1 when off). */
    RwkvTimeMix(Tensor timeDecay, Tensor timeFirst, Tensor mixKey, Tensor mixValue, Tensor mixReceptance,
                Tensor key, Tensor value, Tensor receptance, Tensor output, float outputScale) {
        this.timeDecay = timeDecay;
        this.timeFirst = timeFirst;
        this.mixKey = mixKey;
        this.mixValue = mixValue;
        this.mixReceptance = mixReceptance;
        this.key = key;
        this.value = value;
        this.receptance = receptance;
        this.output = output;
        this.outputScale = outputScale;
    }

    /** The mixed output {@code [B, T, H]} and the state after the last token. */
    record Result(Tensor output, Tensor shift, Wkv.Result wkv) {}

    /** {@code x [B, T, H]} (already normalised), from the previous input {@code shift [B, H]} and WKV state. */
    Result forward(Tensor x, Tensor shift, Tensor num, Tensor den, Tensor max) {
        Tensor shifted = TokenShift.shift(x, shift);
        Tensor k = TokenShift.linear(TokenShift.mix(x, shifted, mixKey), key);
        Tensor v = TokenShift.linear(TokenShift.mix(x, shifted, mixValue), value);
        Tensor r = Activations.sigmoid(TokenShift.linear(TokenShift.mix(x, shifted, mixReceptance), receptance));
        Tensor decay = Arithmetic.neg(Activations.exp(timeDecay));
        Wkv.Result wkv = Wkv.forward(decay, timeFirst, k, v, num, den, max);
        Tensor w = outputScale == 1f ? output : Arithmetic.mul(output, outputScale);
        Tensor out = TokenShift.linear(Arithmetic.mul(r, wkv.output()), w);
        return new Result(out, TokenShift.last(x), wkv);
    }
}
