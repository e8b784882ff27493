package dev.recur.layers.linear;

import dev.recur.core.ops.CausalConv1d;
import dev.recur.core.ops.Linear;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.block.AdapterMixer;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.block.Params;

/**
 * What the matrix-state mixers of this package's stack kinds share before their scans: {@code H} heads of
 * {@code d = D / H} channels, the projections {@code q, k, v = W_q x, W_k x, W_v x} ({@code wq}, {@code wk},
 * {@code wv}, each {@code [D, D]}) and, when {@code conv > 0}, one causal depthwise convolution over the three
 * ({@code conv1d.weight [3D, 1, K]}, {@code U(+-1/sqrt(K))}) whose last {@code K - 1} inputs are the state
 * {@code conv [B, K-1, 3D]}.
 */
abstract class ShortConvQkvMixer extends AdapterMixer {
    /** The projected (and, with a convolution, convolved) {@code [B, T, 3D]} and the convolution's next state. */
    record Projected(Tensor qkv, Tensor convState) {}

    protected final int heads;
    protected final int headDim;
    protected final int conv;

    /** Takes {@code wq}, {@code wk}, {@code wv} and, when the spec's {@code conv} is positive, the convolution. */
    ShortConvQkvMixer(MixerShape shape, Params p) {
        super(shape);
        int d = shape.dModel();
        this.heads = shape.heads();
        this.headDim = d / heads;
        this.conv = shape.conv(true);
        for (String name : new String[] {"wq", "wk", "wv"}) {
            take(p, name, new int[] {d, d}, Params.fanIn(d, d, 1f));
        }
        if (conv > 0) {
            float bound = (float) (1 / Math.sqrt(conv));
            take(p, "conv1d.weight", new int[] {3 * d, 1, conv},
                    rng -> Tensor.uniform(rng, -bound, bound, 3 * d, 1, conv));
        }
    }

    /** The convolution's initial state {@code [batch, K-1, 3D]}, or null without a convolution. */
    Tensor initialConvState(int batch) {
        return conv == 0 ? null : Tensor.zeros(batch, conv - 1, 3 * shape.dModel());
    }

    /** {@code [W_q x, W_k x, W_v x]} for {@code x [B, T, D]}, through the convolution from {@code state}'s. */
    Projected project(Tensor x, MixerState state) {
        int d = shape.dModel();
        Tensor qkv = Reshaping.concat(2, Linear.apply(x, param("wq")), Linear.apply(x, param("wk")),
                Linear.apply(x, param("wv")));                                  // [B, T, 3D]
        if (conv == 0) {
            return new Projected(qkv, null);
        }
        Tensor kernel = Reshaping.reshape(param("conv1d.weight"), 3 * d, conv);
        CausalConv1d.Result r = CausalConv1d.forward(qkv, kernel, null,
                shape.stateTensor(state, "conv", x.dim(0), conv - 1, 3 * d));
        return new Projected(r.output(), r.state());
    }

    /** {@code x [B, T, H * d]} as {@code [B, T, H, d]}. */
    Tensor perHead(Tensor x) {
        return Reshaping.reshape(x, x.dim(0), x.dim(1), heads, headDim);
    }
}
