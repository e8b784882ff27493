package dev.recur.layers.linear;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.CausalConv1d;
import dev.recur.core.ops.Linear;
import dev.recur.core.ops.Norms;
import dev.recur.core.ops.Reductions;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.scan.ScanOutput;
import dev.recur.core.scan.delta.GatedDeltaRule;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.block.AdapterMixer;
import dev.recur.layers.block.BlockSpec;
import dev.recur.layers.block.MixerOutput;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.block.Params;
import dev.recur.layers.block.TimeStepBias;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Gated DeltaNet (Yang, Kautz and Hatamizadeh 2025, "Gated Delta Networks: Improving Mamba2 with Delta Rule"), the
 * one implementation behind the stack kind {@code gdn} and Qwen3-Next's linear-attention layers (transformers'
 * {@code Qwen3NextGatedDeltaNet}). With {@code Hk} key heads of {@code dk}, {@code Hv} value heads of {@code dv},
 * {@code r = Hv / Hk}:
 * <pre>
 *   q, k, v, b, a, z = projections of x                   (layout: {@link GatedDeltaNetConfig.Layout})
 *   q, k, v = silu(shortConv([q, k, v]))                  causal depthwise, no bias (skipped for conv = 0)
 *   q, k    = l2Normalise(q), l2Normalise(k)              per head, x / sqrt(sum x^2 + 1e-6); each key head
 *                                                         repeated for its r value heads
 *   beta    = sigmoid(b),  g = -exp(A_log) softplus(a + dt_bias)        per value head (g: the log decay)
 *   o, S    = gatedDeltaRule(q, k, v, g, beta)            S [B, Hv, dk, dv], scale 1 / sqrt(dk)
 *   y       = W_out (rmsNorm_dv(o) * w * silu(z))         gated RMSNorm per value head
 * </pre>
 * State: {@code conv [B, K-1, 2 Hk dk + Hv dv]} (when the convolution is on) and {@code recurrent [B, Hv, dk, dv]}.
 */
public final class GatedDeltaNet extends AdapterMixer {
    /** The epsilon of the query/key L2 norm, fixed in the references. */
    static final float L2_EPS = 1e-6f;
    /** The stack kind's output norm epsilon. */
    private static final float SPEC_NORM_EPS = 1e-5f;

    private final GatedDeltaNetConfig config;
    private final String outName;

    /** The stack kind {@code gdn}: {@code heads} heads of {@code d_model / heads} for keys and values alike. */
    static GatedDeltaNet spec(MixerShape shape, Params p) {
        int heads = shape.heads();
        int headDim = shape.dModel() / heads;
        return new GatedDeltaNet(shape, new GatedDeltaNetConfig(heads, heads, headDim, headDim, shape.conv(true),
                SPEC_NORM_EPS, GatedDeltaNetConfig.Layout.SEPARATE), p);
    }

    /**
     * A Gated DeltaNet of {@code config} over a residual stream of {@code hidden}, its weights from {@code p}
     * under the names of the config's layout.
     */
    public static GatedDeltaNet load(GatedDeltaNetConfig config, int hidden, Params p) {
        BlockSpec spec = new BlockSpec(LinearMixerKind.GDN,
                Map.of("heads", config.valueHeads(), "conv", config.convKernel()));
        return new GatedDeltaNet(new MixerShape(spec, hidden, 1f), config, p);
    }

    private GatedDeltaNet(MixerShape shape, GatedDeltaNetConfig config, Params p) {
        super(shape);
        this.config = config;
        int d = shape.dModel();
        int hv = config.valueHeads();
        int conv = config.convKernel();
        int channels = config.convChannels();
        float convBound = (float) (1 / Math.sqrt(Math.max(conv, 1)));
        if (config.layout() == GatedDeltaNetConfig.Layout.SEPARATE) {
            // The stack kind's order and draws: existing saved stacks load into, and seeds redraw, the same weights.
            take(p, "wq", new int[] {config.keyWidth(), d}, Params.fanIn(config.keyWidth(), d, 1f));
            take(p, "wk", new int[] {config.keyWidth(), d}, Params.fanIn(config.keyWidth(), d, 1f));
            take(p, "wv", new int[] {config.valueWidth(), d}, Params.fanIn(config.valueWidth(), d, 1f));
            if (conv > 0) {
                take(p, "conv1d.weight", new int[] {channels, 1, conv},
                        rng -> Tensor.uniform(rng, -convBound, convBound, channels, 1, conv));
            }
            take(p, "wb", new int[] {hv, d}, Params.fanIn(hv, d, 1f));
            take(p, "wa", new int[] {hv, d}, Params.fanIn(hv, d, 1f));
            take(p, "A_log", new int[] {hv}, rng -> logUniformA(rng, hv));
            take(p, "dt_bias", new int[] {hv}, rng -> TimeStepBias.draw(rng, hv));
            take(p, "wg", new int[] {config.valueWidth(), d}, Params.fanIn(config.valueWidth(), d, 1f));
            take(p, "norm.weight", new int[] {config.valueDim()}, Params.constant(1f, config.valueDim()));
            outName = "wo";
        } else {
            int qkvz = 2 * config.keyWidth() + 2 * config.valueWidth();
            take(p, "A_log", new int[] {hv}, rng -> logUniformA(rng, hv));
            take(p, "conv1d.weight", new int[] {channels, 1, conv},
                    rng -> Tensor.uniform(rng, -convBound, convBound, channels, 1, conv));
            take(p, "dt_bias", new int[] {hv}, rng -> TimeStepBias.draw(rng, hv));
            take(p, "in_proj_ba.weight", new int[] {2 * hv, d}, Params.fanIn(2 * hv, d, 1f));
            take(p, "in_proj_qkvz.weight", new int[] {qkvz, d}, Params.fanIn(qkvz, d, 1f));
            take(p, "norm.weight", new int[] {config.valueDim()}, Params.constant(1f, config.valueDim()));
            outName = "out_proj.weight";
        }
        take(p, outName, new int[] {d, config.valueWidth()}, Params.fanIn(d, config.valueWidth(), shape.outScale()));
    }

    /** {@code log A}, {@code A ~ U(1, 16)}. */
    private static Tensor logUniformA(Rng rng, int n) {
        return Activations.log(Tensor.uniform(rng, 1f, 16f, n));
    }

    public GatedDeltaNetConfig config() {
        return config;
    }

    @Override
    public MixerState initialState(int batch) {
        shape.requireBatch(batch);
        Tensor recurrent = Tensor.zeros(recurrentShape(batch));
        if (config.convKernel() == 0) {
            return MixerState.of(0, new String[] {"recurrent"}, recurrent);
        }
        return MixerState.of(0, new String[] {"conv", "recurrent"}, Tensor.zeros(convShape(batch)), recurrent);
    }

    private int[] recurrentShape(int batch) {
        return new int[] {batch, config.valueHeads(), config.keyDim(), config.valueDim()};
    }

    private int[] convShape(int batch) {
        return new int[] {batch, config.convKernel() - 1, config.convChannels()};
    }

    /** The pre-convolution queries, keys and values, and the per-value-head b, a and the output gate z. */
    private record Inputs(Tensor qkv, Tensor b, Tensor a, Tensor z) {}

    @Override
    public MixerOutput forward(Tensor x, MixerState state) {
        shape.requireInput(x);
        int batch = x.dim(0);
        int steps = x.dim(1);
        int hk = config.keyHeads();
        int hv = config.valueHeads();
        int dk = config.keyDim();
        int dv = config.valueDim();
        int conv = config.convKernel();
        MixerState s = state == null ? initialState(batch) : state;
        Tensor h0 = shape.stateTensor(s, "recurrent", recurrentShape(batch));
        Inputs in = config.layout() == GatedDeltaNetConfig.Layout.SEPARATE ? separate(x) : fused(x);
        Tensor qkv = in.qkv();                                                     // [B, T, convChannels]
        Tensor convState = null;
        if (conv > 0) {
            Tensor kernel = Reshaping.reshape(param("conv1d.weight"), config.convChannels(), conv);
            CausalConv1d.Result r = CausalConv1d.forward(qkv, kernel, null,
                    shape.stateTensor(s, "conv", convShape(batch)));
            qkv = Activations.silu(r.output());
            convState = r.state();
        }
        List<Tensor> parts = Reshaping.split(qkv, -1, config.keyWidth(), config.keyWidth(), config.valueWidth());
        int r = config.valuesPerKey();
        Tensor q = repeatHeads(l2Normalise(Reshaping.reshape(parts.get(0), batch, steps, hk, dk)), r);
        Tensor k = repeatHeads(l2Normalise(Reshaping.reshape(parts.get(1), batch, steps, hk, dk)), r);
        Tensor v = Reshaping.reshape(parts.get(2), batch, steps, hv, dv);
        Tensor beta = Activations.sigmoid(in.b());                                 // [B, T, Hv]
        Tensor g = Arithmetic.mul(Arithmetic.neg(Activations.exp(param("A_log"))),
                Activations.softplus(Arithmetic.add(in.a(), param("dt_bias"))));    // [B, T, Hv]
        ScanOutput scan = GatedDeltaRule.apply(q, k, v, g, beta, h0, (float) (1.0 / Math.sqrt(dk)));
        Tensor o = Norms.rmsNorm(scan.output(), param("norm.weight"), config.normEps()); // [B, T, Hv, dv]
        o = Arithmetic.mul(Reshaping.reshape(o, batch, steps, hv * dv), Activations.silu(in.z()));
        Tensor y = Linear.apply(o, param(outName));
        long next = s.position() + steps;
        MixerState after = conv == 0 ? MixerState.of(next, new String[] {"recurrent"}, scan.state())
                : MixerState.of(next, new String[] {"conv", "recurrent"}, convState, scan.state());
        return new MixerOutput(y, after);
    }

    private Inputs separate(Tensor x) {
        Tensor qkv = Reshaping.concat(2, Linear.apply(x, param("wq")), Linear.apply(x, param("wk")),
                Linear.apply(x, param("wv")));
        return new Inputs(qkv, Linear.apply(x, param("wb")), Linear.apply(x, param("wa")),
                Linear.apply(x, param("wg")));
    }

    private Inputs fused(Tensor x) {
        int batch = x.dim(0);
        int steps = x.dim(1);
        int hk = config.keyHeads();
        int hv = config.valueHeads();
        int r = config.valuesPerKey();
        int dk = config.keyDim();
        int dv = config.valueDim();
        Tensor qkvz = Reshaping.reshape(Linear.apply(x, param("in_proj_qkvz.weight")), batch, steps, hk,
                2 * dk + 2 * r * dv);
        List<Tensor> parts = Reshaping.split(qkvz, -1, dk, dk, r * dv, r * dv);     // per key head
        Tensor ba = Reshaping.reshape(Linear.apply(x, param("in_proj_ba.weight")), batch, steps, hk, 2 * r);
        List<Tensor> betaA = Reshaping.split(ba, -1, r, r);                         // [B, T, Hk, r] each
        // The value heads of one key head are consecutive, so [B, T, Hk, r * dv] is [B, T, Hv * dv] as it lies.
        Tensor qkv = Reshaping.concat(-1, Reshaping.reshape(parts.get(0), batch, steps, hk * dk),
                Reshaping.reshape(parts.get(1), batch, steps, hk * dk),
                Reshaping.reshape(parts.get(2), batch, steps, hv * dv));
        return new Inputs(qkv, Reshaping.reshape(betaA.get(0), batch, steps, hv),
                Reshaping.reshape(betaA.get(1), batch, steps, hv),
                Reshaping.reshape(parts.get(3), batch, steps, hv * dv));
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
