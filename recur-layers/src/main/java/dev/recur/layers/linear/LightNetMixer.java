package dev.recur.layers.linear;

import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Linear;
import dev.recur.core.ops.Norms;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.scan.lightnet.LightNet;
import dev.recur.core.scan.lightnet.LightNetOutput;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.block.MixerOutput;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.block.Params;
import java.util.List;

/**
 * {@code lightnet}: the LightNet token mixer (Qin, Mao, Shen, Yang, Li, Sun, Li and Zhong 2024, "You Only Scan
 * Once: Efficient Multi-dimension Sequential Modeling with LightNet", section 3, its additive recurrence eq. 9-10),
 * laid out as flash-linear-attention's {@code LightNetAttention} and this package's other mixers. With {@code H}
 * heads of {@code d = d_model / H} channels:
 * <pre>
 *   q, k, v = W_q x, W_k x, W_v x                      [B, T, D] each
 *   q, k, v = shortConv(q, k, v)                       causal depthwise, width conv, linear (skipped for conv=0)
 *   q       = silu(q)
 *   z_t     = log(exp(z_{t-1}) + exp(k_t))             per head and key channel: the running log normaliser
 *   S_t     = exp(z_{t-1} - z_t) S_{t-1} + exp(k_t - z_t) v_t^T,   o_t = S_t^T q_t / sqrt(d)
 *   y       = W_o (rmsNorm_d(o) * silu(W_g x))         per-head RMSNorm with a gain, then the output gate
 * </pre>
 * so {@code S_t} is the softmax-over-time-weighted sum of the values ({@link LightNet}). Where fla normalises over
 * the whole width and factors the gate through rank 128, this mixer normalises per head and uses a full gate, as
 * {@code gla} and {@code gdn} here do.
 *
 * <p>Options: {@code heads} (default one per 32 channels) and {@code conv} (the short convolution's width, default
 * 4; 0: none). Parameters: {@code wq}, {@code wk}, {@code wv}, {@code wg} {@code [D, D]} ({@code U(+-1/sqrt(D))}),
 * {@code conv1d.weight [3D, 1, conv]} ({@code U(+-1/sqrt(conv))}, when conv > 0), {@code norm.weight [d]} (ones),
 * {@code wo [D, D]} ({@code U(+-1/sqrt(D))} times the stack's residual factor). State: {@code conv [B, conv-1, 3D]}
 * (when conv > 0), {@code recurrent [B, H, d, d]} (the normalised state {@code S}) and
 * {@code log_normalizer [B, H, d]} ({@code z}; minus infinity before the first token, the log of an empty sum).
 */
final class LightNetMixer extends ShortConvQkvMixer {
    private static final float NORM_EPS = 1e-5f;

    LightNetMixer(MixerShape shape, Params p) {
        super(shape, p);
        int d = shape.dModel();
        take(p, "wg", new int[] {d, d}, Params.fanIn(d, d, 1f));
        take(p, "norm.weight", new int[] {headDim}, Params.constant(1f, headDim));
        take(p, "wo", new int[] {d, d}, Params.fanIn(d, d, shape.outScale()));
    }

    @Override
    public MixerState initialState(int batch) {
        shape.requireBatch(batch);
        Tensor recurrent = Tensor.zeros(batch, heads, headDim, headDim);
        Tensor logNormalizer = Tensor.full(Float.NEGATIVE_INFINITY, batch, heads, headDim);
        return of(0, initialConvState(batch), recurrent, logNormalizer);
    }

    @Override
    public MixerOutput forward(Tensor x, MixerState state) {
        shape.requireInput(x);
        int batch = x.dim(0);
        int steps = x.dim(1);
        int d = shape.dModel();
        MixerState s = state == null ? initialState(batch) : state;
        Tensor h0 = shape.stateTensor(s, "recurrent", batch, heads, headDim, headDim);
        Tensor z0 = shape.stateTensor(s, "log_normalizer", batch, heads, headDim);
        Projected projected = project(x, s);                                   // [B, T, 3D]
        Tensor qkv = projected.qkv();
        Tensor convState = projected.convState();
        List<Tensor> parts = Reshaping.split(qkv, -1, d, d, d);
        Tensor q = perHead(Activations.silu(parts.get(0)));                          // [B, T, H, d]
        Tensor k = perHead(parts.get(1));
        Tensor v = perHead(parts.get(2));
        LightNetOutput scan = LightNet.apply(q, k, v, h0, z0, (float) (1 / Math.sqrt(headDim)));
        Tensor o = Norms.rmsNorm(scan.output(), param("norm.weight"), NORM_EPS);       // [B, T, H, d]
        o = Arithmetic.mul(Reshaping.reshape(o, batch, steps, d), Activations.silu(Linear.apply(x, param("wg"))));
        Tensor y = Linear.apply(o, param("wo"));
        return new MixerOutput(y, of(s.position() + steps, convState, scan.state(), scan.logNormalizer()));
    }

    private MixerState of(long position, Tensor convState, Tensor recurrent, Tensor logNormalizer) {
        return conv == 0
                ? MixerState.of(position, new String[] {"recurrent", "log_normalizer"}, recurrent, logNormalizer)
                : MixerState.of(position, new String[] {"conv", "recurrent", "log_normalizer"}, convState, recurrent,
                        logNormalizer);
    }

}
