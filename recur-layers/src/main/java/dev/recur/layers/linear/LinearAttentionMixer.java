package dev.recur.layers.linear;

import dev.recur.core.scan.ScanOutput;
import dev.recur.layers.block.MixerOutput;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.block.Params;
import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Linear;
import dev.recur.core.ops.Norms;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.scan.delta.DeltaRule;
import dev.recur.core.scan.gla.Gla;
import dev.recur.core.scan.gla.Hgrn2;
import dev.recur.core.scan.gla.LinearAttention;
import dev.recur.core.tensor.Tensor;
import java.util.List;

/**
 * The matrix-state mixers {@code linear}, {@code gla}, {@code deltanet} and {@code hgrn2}, one
 * layout in the style of flash-linear-attention's layers, each running its scan op from
 * {@code dev.recur.core.scan}. With {@code H} heads of {@code d = d_model / H} channels:
 * <pre>
 *   q, k, v = W_q x, W_k x, W_v x                     [B, T, D] each
 *   q, k, v = silu(shortConv(q, k, v))                causal depthwise, width conv (skipped for conv=0)
 *   o, S    = scan(q, k, v, ...)                      S [B, H, d, d], scale 1/sqrt(d)
 *   y       = W_o (rmsNorm_d(o) * gate)               per-head RMSNorm with a gain
 * </pre>
 * and per family:
 * <ul>
 *   <li>{@code linear} (Katharopoulos et al. 2020): feature map {@code elu(x) + 1} on q and k, no gate;</li>
 *   <li>{@code gla} (Yang et al. 2024): per-key decay {@code log a = logsigmoid(W_a x + b_a) / 16}, gate
 *       {@code silu(W_g x)};</li>
 *   <li>{@code deltanet} (Schlag et al. 2021; Yang et al. 2024): q, k L2-normalised per head,
 *       {@code beta = sigmoid(W_b x)} per head, no gate;</li>
 * *   <li>{@code hgrn2} (Qin et al. 2024): q is the output gate, k the forget gate's input
 *       ({@code f = sigmoid(k)}, key {@code 1 - f}), v the input; no gate.</li>
 * </ul>
 * State: {@code conv [B, K-1, 3D]} (when conv > 0) and {@code recurrent [B, H, d, d]}. Gated DeltaNet
 * ({@code gdn}) has the same layout plus a decay and a gate; it is {@link GatedDeltaNet}, which Qwen3-Next's layers
 * share.
 */
final class LinearAttentionMixer extends ShortConvQkvMixer {
    private static final float NORM_EPS = 1e-5f;
    /** GLA's gate temperature: the log decay is divided by it so that initial decays stay near one. */
    private static final float GLA_TEMPERATURE = 16f;

    private final LinearVariant kind;

    LinearAttentionMixer(MixerShape shape, Params p, LinearVariant kind) {
        super(shape, p);
        this.kind = kind;
        int d = shape.dModel();
        switch (kind) {
            case GLA -> {
                take(p, "wa", new int[] {d, d}, Params.fanIn(d, d, 1f));
                take(p, "ba", new int[] {d}, Params.constant(0f, d));
                take(p, "wg", new int[] {d, d}, Params.fanIn(d, d, 1f));
            }
            case DELTANET -> take(p, "wb", new int[] {heads, d}, Params.fanIn(heads, d, 1f));
            case LINEAR, HGRN2 -> { }
        }
        take(p, "norm.weight", new int[] {headDim}, Params.constant(1f, headDim));
        take(p, "wo", new int[] {d, d}, Params.fanIn(d, d, shape.outScale()));
    }

    @Override
    public MixerState initialState(int batch) {
        shape.requireBatch(batch);
        Tensor recurrent = Tensor.zeros(batch, heads, headDim, headDim);
        if (conv == 0) {
            return MixerState.of(0, new String[] {"recurrent"}, recurrent);
        }
        return MixerState.of(0, new String[] {"conv", "recurrent"}, initialConvState(batch), recurrent);
    }

    @Override
    public MixerOutput forward(Tensor x, MixerState state) {
        shape.requireInput(x);
        int batch = x.dim(0);
        int steps = x.dim(1);
        int d = shape.dModel();
        MixerState s = state == null ? initialState(batch) : state;
        Tensor h0 = shape.stateTensor(s, "recurrent", batch, heads, headDim, headDim);
        Projected projected = project(x, s);                                   // [B, T, 3D]
        Tensor qkv = conv > 0 ? Activations.silu(projected.qkv()) : projected.qkv();
        Tensor convState = projected.convState();
        List<Tensor> parts = Reshaping.split(qkv, -1, d, d, d);
        Tensor q = perHead(parts.get(0));                                            // [B, T, H, d]
        Tensor k = perHead(parts.get(1));
        Tensor v = perHead(parts.get(2));
        float scale = (float) (1 / Math.sqrt(headDim));
        ScanOutput scan = switch (kind) {
            case LINEAR -> LinearAttention.apply(eluPlusOne(q), eluPlusOne(k), v, h0, scale);
            case GLA -> Gla.apply(q, k, v, perHead(Arithmetic.mul(logSigmoid(Linear.apply(x, param("wa"),
                    param("ba"))), 1 / GLA_TEMPERATURE)), h0, scale);
            case DELTANET -> DeltaRule.apply(GatedDeltaNet.l2Normalise(q), GatedDeltaNet.l2Normalise(k), v, beta(x),
                    h0, scale);
            case HGRN2 -> Hgrn2.apply(q, Hgrn2.logForget(k, 0f), v, h0, scale);
        };
        Tensor o = Norms.rmsNorm(scan.output(), param("norm.weight"), NORM_EPS);       // [B, T, H, d]
        o = Reshaping.reshape(o, batch, steps, d);
        if (hasParam("wg")) {
            o = Arithmetic.mul(o, Activations.silu(Linear.apply(x, param("wg"))));
        }
        Tensor y = Linear.apply(o, param("wo"));
        long next = s.position() + steps;
        MixerState after = conv == 0 ? MixerState.of(next, new String[] {"recurrent"}, scan.state())
                : MixerState.of(next, new String[] {"conv", "recurrent"}, convState, scan.state());
        return new MixerOutput(y, after);
    }


    /** {@code sigmoid(W_b x)} per head, {@code [B, T, H]}. */
    private Tensor beta(Tensor x) {
        return Activations.sigmoid(Linear.apply(x, param("wb")));
    }

    /** {@code elu(x) + 1 = relu(x) + exp(-relu(-x))}: {@code x + 1} above zero, {@code exp(x)} below. */
    private static Tensor eluPlusOne(Tensor x) {
        return Arithmetic.add(Activations.relu(x), Activations.exp(Arithmetic.neg(Activations.relu(Arithmetic.neg(x)))));
    }

    /** {@code log sigmoid(x) = -softplus(-x)}. */
    private static Tensor logSigmoid(Tensor x) {
        return Arithmetic.neg(Activations.softplus(Arithmetic.neg(x)));
    }
}
