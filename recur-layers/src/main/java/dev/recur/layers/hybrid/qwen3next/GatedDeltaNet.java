package dev.recur.layers.hybrid.qwen3next;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.CausalConv1d;
import dev.recur.core.ops.Norms;
import dev.recur.core.ops.Reductions;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.scan.delta.GatedDeltaRule;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.ops.Linear;
import dev.recur.layers.lm.WeightSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Qwen3-Next's linear-attention mixer (transformers' {@code Qwen3NextGatedDeltaNet}; Yang, Kautz and Hatamizadeh
 * 2025, "Gated Delta Networks"). With {@code r = valueHeads / keyHeads}:
 * <ul>
 *   <li>{@code in_proj_qkvz} gives, per key head, {@code [q (dk), k (dk), v (r * dv), z (r * dv)]}, and
 *       {@code in_proj_ba} per key head {@code [b (r), a (r)]}: the value heads of key head {@code j} are
 *       {@code j * r .. j * r + r - 1};</li>
 *   <li>the channels {@code [q of every head, k of every head, v of every head]} go through a bias-free causal
 *       depthwise convolution and SiLU;</li>
 *   <li>{@code q} and {@code k} are L2-normalised per head ({@code x / sqrt(sum x^2 + 1e-6)}) and each key head is
 *       repeated for its {@code r} value heads; {@code beta = sigmoid(b)};
 *       {@code g = -exp(A_log) * softplus(a + dt_bias)} (the log decay);</li>
 *   <li>the gated delta rule ({@link GatedDeltaRule}, scale {@code 1 / sqrt(dk)}) gives {@code o [B, T, Hv, dv]};</li>
 *   <li>a gated RMSNorm per value head, {@code rmsNorm(o) * w * silu(z)} (plain weight, not offset), then
 *       {@code out_proj}.</li>
 * </ul>
 *
 * <p>State: {@code layers.i.conv [B, K-1, 2 * keyWidth + valueWidth]} and
 * {@code layers.i.recurrent [B, Hv, dk, dv]}.
 */
final class GatedDeltaNet implements TokenMixer {
    /** The epsilon of the query/key L2 norm, fixed in the reference. */
    static final float L2_EPS = 1e-6f;

    private final int layer;
    private final Qwen3NextConfig config;
    private final Tensor inProjQkvz; // [2 * keyWidth + 2 * valueWidth, H], interleaved per key head
    private final Tensor inProjBa;   // [2 * Hv, H], interleaved per key head
    private final Tensor convWeight; // [convChannels, 1, K]
    private final Tensor dtBias;     // [Hv]
    private final Tensor aLog;       // [Hv]
    private final Tensor norm;       // [dv]
    private final Tensor outProj;    // [H, valueWidth]

    /** Takes the mixer's tensors under {@code prefix} (e.g. {@code model.layers.0.linear_attn.}). */
    GatedDeltaNet(int layer, Qwen3NextConfig config, String prefix, WeightSource take) {
        this.layer = layer;
        this.config = config;
        int h = config.hiddenSize();
        int hv = config.linearValueHeads();
        aLog = take.apply(prefix + "A_log", hv);
        convWeight = take.apply(prefix + "conv1d.weight", config.convChannels(), 1, config.convKernel());
        dtBias = take.apply(prefix + "dt_bias", hv);
        inProjBa = take.apply(prefix + "in_proj_ba.weight", 2 * hv, h);
        inProjQkvz = take.apply(prefix + "in_proj_qkvz.weight",
                2 * config.linearKeyWidth() + 2 * config.linearValueWidth(), h);
        norm = take.apply(prefix + "norm.weight", config.linearValueDim());
        outProj = take.apply(prefix + "out_proj.weight", h, config.linearValueWidth());
    }

    @Override
    public Tensor forward(Tensor x, Map<String, Tensor> state, Map<String, Tensor> next, long start) {
        int batch = x.dim(0);
        int steps = x.dim(1);
        int hk = config.linearKeyHeads();
        int hv = config.linearValueHeads();
        int r = hv / hk;
        int dk = config.linearKeyDim();
        int dv = config.linearValueDim();
        Tensor qkvz = Reshaping.reshape(Linear.apply(x, inProjQkvz, null), batch, steps, hk, 2 * dk + 2 * r * dv);
        List<Tensor> parts = Reshaping.split(qkvz, -1, dk, dk, r * dv, r * dv);        // per key head
        Tensor ba = Reshaping.reshape(Linear.apply(x, inProjBa, null), batch, steps, hk, 2 * r);
        List<Tensor> betaA = Reshaping.split(ba, -1, r, r);                            // [B, T, hk, r] each
        // The value heads of one key head are consecutive, so [B, T, hk, r * dv] is [B, T, hv * dv] as it lies.
        Tensor mixed = Reshaping.concat(-1, Reshaping.reshape(parts.get(0), batch, steps, hk * dk),
                Reshaping.reshape(parts.get(1), batch, steps, hk * dk),
                Reshaping.reshape(parts.get(2), batch, steps, hv * dv));               // [B, T, convChannels]
        Tensor conv2d = Reshaping.reshape(convWeight, config.convChannels(), config.convKernel());
        CausalConv1d.Result conv = CausalConv1d.forward(mixed, conv2d, null, state.get(Qwen3NextState.conv(layer)));
        List<Tensor> qkv = Reshaping.split(Activations.silu(conv.output()), -1, hk * dk, hk * dk, hv * dv);
        Tensor q = repeatHeads(l2Normalise(Reshaping.reshape(qkv.get(0), batch, steps, hk, dk)), r);
        Tensor k = repeatHeads(l2Normalise(Reshaping.reshape(qkv.get(1), batch, steps, hk, dk)), r);
        Tensor v = Reshaping.reshape(qkv.get(2), batch, steps, hv, dv);
        Tensor beta = Activations.sigmoid(Reshaping.reshape(betaA.get(0), batch, steps, hv));
        Tensor a = Reshaping.reshape(betaA.get(1), batch, steps, hv);
        Tensor g = Arithmetic.mul(Arithmetic.neg(Activations.exp(aLog)),
                Activations.softplus(Arithmetic.add(a, dtBias)));                      // [B, T, hv]
        ScanOutput delta = GatedDeltaRule.apply(q, k, v, g, beta, state.get(Qwen3NextState.recurrent(layer)),
                (float) (1.0 / Math.sqrt(dk)));
        next.put(Qwen3NextState.conv(layer), conv.state());
        next.put(Qwen3NextState.recurrent(layer), delta.state());
        Tensor z = Reshaping.reshape(parts.get(3), batch, steps, hv, dv);
        Tensor normed = Arithmetic.mul(Norms.rmsNorm(delta.output(), norm, config.rmsEps()), Activations.silu(z));
        return Linear.apply(Reshaping.reshape(normed, batch, steps, hv * dv), outProj, null);
    }

    /** {@code x / sqrt(sum x^2 + 1e-6)} over the last axis. */
    static Tensor l2Normalise(Tensor x) {
        Tensor sumSquares = Reductions.sum(Arithmetic.square(x), -1, true);
        return Arithmetic.div(x, Activations.sqrt(Arithmetic.add(sumSquares, L2_EPS)));
    }

    /** {@code [B, T, n, d]} to {@code [B, T, n * r, d]}, each head repeated {@code r} times in a row. */
    static Tensor repeatHeads(Tensor x, int r) {
        if (r == 1) {
            return x;
        }
        int batch = x.dim(0);
        int steps = x.dim(1);
        int n = x.dim(2);
        int d = x.dim(3);
        Tensor one = Reshaping.reshape(x, batch, steps, n, 1, d);
        Tensor[] copies = new Tensor[r];
        Arrays.fill(copies, one);
        return Reshaping.reshape(Reshaping.concat(3, copies), batch, steps, n * r, d);
    }
}
