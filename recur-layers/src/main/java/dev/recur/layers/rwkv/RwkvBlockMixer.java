package dev.recur.layers.rwkv;

import dev.recur.core.random.Rng;
import dev.recur.core.scan.wkv.Wkv;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.block.AdapterMixer;
import dev.recur.layers.block.MixerOutput;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.block.Params;
import java.util.function.Function;

/**
 * {@code rwkv}: RWKV-4 time mixing (Peng et al. 2023, "RWKV: Reinventing RNNs for the Transformer Era", eq. 11-17;
 * transformers' {@code RwkvSelfAttention}) as a token mixer over the residual stream:
 * <pre>
 *   x'_t = x_{t-1}                                       the token shift (the carried input at t = 0)
 *   k, v, r = W_k mix(x, x', mu_k), W_v mix(x, x', mu_v), W_r mix(x, x', mu_r),   mix = mu x + (1 - mu) x'
 *   wkv_t = (sum_{i<t} e^{-(t-1-i) w + k_i} v_i + e^{u + k_t} v_t) / (same with v = 1),   w = exp(time_decay)
 *   y_t = W_o (sigmoid(r_t) * wkv_t)
 * </pre>
 * An RWKV-4 layer is time mixing then channel mixing; in a stack the channel mixing is the block's MLP (SwiGLU
 * rather than RWKV's squared-ReLU one), so this block is the time mixing alone, with the attention width equal
 * to d_model. No options.
 *
 * <p>Parameters (transformers' names): {@code time_decay}, {@code time_first [D]}, {@code time_mix_key},
 * {@code time_mix_value}, {@code time_mix_receptance [1, 1, D]}, {@code key.weight}, {@code value.weight},
 * {@code receptance.weight}, {@code output.weight [D, D]}. The decays, bonuses and mixes start as the RWKV-4
 * reference code starts them ({@code RWKV_TimeMix}: decay speeds from -5 to 3 across channels, bonus
 * {@code log 0.3} plus a zigzag, mixes {@code (i / D)^p}) at a depth ratio of one half, since a block does not
 * know its place in the stack; the weights are uniform fan-in (the output times the stack's residual factor)
 * where the reference zero-initialises some. State: {@code shift [B, D]} (the last input) and the WKV numerator,
 * denominator and maximum exponent {@code num}, {@code den}, {@code max [B, D]} ({@code 0, 0, -1e30} when
 * fresh).
 */
final class RwkvBlockMixer extends AdapterMixer {
    private static final String[] STATE = {"shift", "num", "den", "max"};
    /** Where this block's initial decays and mixes sit on the reference code's first-to-last-layer ramps. */
    private static final double DEPTH_RATIO = 0.5;

    private final RwkvTimeMix timeMix;

    RwkvBlockMixer(MixerShape shape, Params p) {
        super(shape);
        int d = shape.dModel();
        Function<Rng, Tensor> fanIn = Params.fanIn(d, d, 1f);
        this.timeMix = new RwkvTimeMix(
                take(p, "time_decay", new int[] {d}, rng -> decaySpeeds(d)),
                take(p, "time_first", new int[] {d}, rng -> bonuses(d)),
                take(p, "time_mix_key", new int[] {1, 1, d}, rng -> mixes(d, 1 - DEPTH_RATIO, 0)),
                take(p, "time_mix_value", new int[] {1, 1, d}, rng -> mixes(d, 1 - DEPTH_RATIO, 0.3 * DEPTH_RATIO)),
                take(p, "time_mix_receptance", new int[] {1, 1, d}, rng -> mixes(d, 0.5 * (1 - DEPTH_RATIO), 0)),
                take(p, "key.weight", new int[] {d, d}, fanIn),
                take(p, "value.weight", new int[] {d, d}, fanIn),
                take(p, "receptance.weight", new int[] {d, d}, fanIn),
                take(p, "output.weight", new int[] {d, d}, Params.fanIn(d, d, shape.outScale())),
                1f);
    }

    /** {@code -5 + 8 (h / (D - 1))^(0.7 + 1.3 ratio)}: channel h's {@code log w}, slow to fast. */
    private static Tensor decaySpeeds(int d) {
        float[] v = new float[d];
        for (int h = 0; h < d; h++) {
            v[h] = (float) (-5 + 8 * Math.pow(h / (double) Math.max(1, d - 1), 0.7 + 1.3 * DEPTH_RATIO));
        }
        return Tensor.of(v, d);
    }

    /** {@code log 0.3 + 0.5 ((h + 1) mod 3 - 1)}. */
    private static Tensor bonuses(int d) {
        float[] v = new float[d];
        for (int h = 0; h < d; h++) {
            v[h] = (float) (Math.log(0.3) + 0.5 * ((h + 1) % 3 - 1));
        }
        return Tensor.of(v, d);
    }

    /** {@code (i / D)^power + offset}, {@code [1, 1, D]}. */
    private static Tensor mixes(int d, double power, double offset) {
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
            v[i] = (float) (Math.pow(i / (double) d, power) + offset);
        }
        return Tensor.of(v, 1, 1, d);
    }

    @Override
    public MixerState initialState(int batch) {
        shape.requireBatch(batch);
        int d = shape.dModel();
        return MixerState.of(0, STATE, Tensor.zeros(batch, d), Tensor.full(Wkv.EMPTY_SUM, batch, d),
                Tensor.full(Wkv.EMPTY_SUM, batch, d), Tensor.full(Wkv.EMPTY_MAX, batch, d));
    }

    @Override
    public MixerOutput forward(Tensor x, MixerState state) {
        shape.requireInput(x);
        int batch = x.dim(0);
        MixerState s = state == null ? initialState(batch) : state;
        int d = shape.dModel();
        RwkvTimeMix.Result out = timeMix.forward(x, shape.stateTensor(s, STATE[0], batch, d),
                shape.stateTensor(s, STATE[1], batch, d), shape.stateTensor(s, STATE[2], batch, d),
                shape.stateTensor(s, STATE[3], batch, d));
        return new MixerOutput(out.output(), MixerState.of(s.position() + x.dim(1), STATE, out.shift(),
                out.wkv().num(), out.wkv().den(), out.wkv().max()));
    }
}
