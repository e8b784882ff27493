package dev.recur.layers.rwkv;

import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Norms;
import dev.recur.core.tensor.Tensor;
import java.util.Map;

/**
 * One RWKV-4 block: {@code x += TimeMix(LN1(x))}, then {@code x += ChannelMix(LN2(x))}; block 0 first applies
 * its own {@code pre_ln} to the embeddings, and with rescaling on the stream is halved after every
 * {@code rescale_every}-th block, as transformers' inference path does.
 */
final class RwkvBlock {
    /** A LayerNorm's weight and bias, {@code [H]} each. */
    record Norm(Tensor weight, Tensor bias) {
        Tensor apply(Tensor x, float eps) {
            return Norms.layerNorm(x, weight, bias, eps);
        }
    }

    private final int index;
    private final Norm preNorm;
    private final Norm norm1;
    private final Norm norm2;
    private final RwkvTimeMix timeMix;
    private final RwkvChannelMix channelMix;
    private final float eps;
    private final boolean halveAfter;

    RwkvBlock(int index, Norm preNorm, Norm norm1, Norm norm2, RwkvTimeMix timeMix, RwkvChannelMix channelMix,
              float eps, boolean halveAfter) {
        this.index = index;
        this.preNorm = preNorm;
        this.norm1 = norm1;
        this.norm2 = norm2;
        this.timeMix = timeMix;
        this.channelMix = channelMix;
        this.eps = eps;
        this.halveAfter = halveAfter;
    }

    /** {@code x [B, T, H]}, reading this block's entries of {@code state} and putting the new ones in {@code next}. */
    Tensor forward(Tensor x, Map<String, Tensor> state, Map<String, Tensor> next) {
        Tensor h = preNorm == null ? x : preNorm.apply(x, eps);
        Tensor attnIn = norm1.apply(h, eps);
        RwkvTimeMix.Result att = timeMix.forward(attnIn, state.get(RwkvState.attentionShift(index)),
                state.get(RwkvState.num(index)), state.get(RwkvState.den(index)), state.get(RwkvState.max(index)));
        h = Arithmetic.add(h, att.output());
        Tensor ffnIn = norm2.apply(h, eps);
        h = Arithmetic.add(h, channelMix.forward(ffnIn, state.get(RwkvState.feedForwardShift(index))));
        next.put(RwkvState.feedForwardShift(index), TokenShift.last(ffnIn));
        next.put(RwkvState.attentionShift(index), att.shift());
        next.put(RwkvState.num(index), att.wkv().num());
        next.put(RwkvState.den(index), att.wkv().den());
        next.put(RwkvState.max(index), att.wkv().max());
        return halveAfter ? Arithmetic.mul(h, 0.5f) : h;
    }
}
