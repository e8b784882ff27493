package dev.recur.layers.stack;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.scan.ssd.SsdChunked;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.ssm.mamba2.Mamba2Config;
import dev.recur.layers.ssm.mamba2.Mamba2Mixer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code mamba2}: the Mamba-2 SSD mixer ({@link Mamba2Mixer}, transformers' numerics) with one group of B and C,
 * under transformers' parameter names. Options: {@code state} (N, default 16), {@code expand} (default 2),
 * {@code heads} (default one per 16 inner channels), {@code conv} (default 4), {@code chunk} (the chunked scan's
 * length, default 64). Initialised as the reference implementation does: {@code A = U(1, 16)} per head stored
 * as {@code A_log}, {@code D = 1}, {@code dt_bias} the inverse softplus of a step log-uniform in [0.001, 0.1],
 * PyTorch's default {@code U(+-1/sqrt(fan_in))} for the projections and the convolution, the output projection
 * scaled by the stack's residual factor, norm gains 1. State: {@code conv [B, K-1, inner + 2N]} and
 * {@code ssm [B, heads, headDim, N]}.
 */
final class Mamba2BlockMixer implements Mixer {
    private static final String[] STATE = {"conv", "ssm"};

    private final MixerShape shape;
    private final Mamba2Config config;
    private final Mamba2Mixer mixer;
    private final Map<String, Tensor> params = new LinkedHashMap<>();

    Mamba2BlockMixer(MixerShape shape, Params p) {
        this.shape = shape;
        int d = shape.dModel();
        int inner = shape.positive("expand", 2) * d;
        int heads = shape.positive("heads", Math.max(1, inner / 16));
        if (inner % heads != 0) {
            throw new RecurException("stack block '" + shape.spec() + "': heads must divide the inner width "
                    + inner + ", got " + heads);
        }
        int n = shape.positive("state", 16);
        int k = shape.conv(false);
        // The mixer reads only the sizes; the vocabulary and layer count of this config are placeholders.
        this.config = new Mamba2Config(1, d, 1, heads, inner / heads, n, 1, inner, k, shape.positive("chunk", 64),
                1e-5f, false, true, "silu", 0.0, Double.POSITIVE_INFINITY, false);
        int convDim = config.convDim();
        int projected = inner + convDim + heads;
        params.put("in_proj.weight", p.get("in_proj.weight", new int[] {projected, d}, Params.fanIn(projected, d, 1f)));
        float convBound = (float) (1 / Math.sqrt(k));
        params.put("conv1d.weight", p.get("conv1d.weight", new int[] {convDim, 1, k},
                rng -> Tensor.uniform(rng, -convBound, convBound, convDim, 1, k)));
        params.put("conv1d.bias", p.get("conv1d.bias", new int[] {convDim},
                rng -> Tensor.uniform(rng, -convBound, convBound, convDim)));
        params.put("dt_bias", p.get("dt_bias", new int[] {heads}, rng -> dtBias(rng, heads)));
        params.put("A_log", p.get("A_log", new int[] {heads}, rng -> aLog(rng, heads)));
        params.put("D", p.get("D", new int[] {heads}, Params.constant(1f, heads)));
        params.put("norm.weight", p.get("norm.weight", new int[] {inner}, Params.constant(1f, inner)));
        params.put("out_proj.weight", p.get("out_proj.weight", new int[] {d, inner},
                Params.fanIn(d, inner, shape.outScale())));
        this.mixer = new Mamba2Mixer(config, params.get("in_proj.weight"), null, params.get("conv1d.weight"),
                params.get("conv1d.bias"), params.get("dt_bias"), params.get("A_log"), params.get("D"),
                params.get("norm.weight"), params.get("out_proj.weight"), null, new SsdChunked(config.chunkSize()));
    }

    /** {@code log A} with {@code A ~ U(1, 16)}. */
    private static Tensor aLog(Rng rng, int heads) {
        float[] a = Tensor.uniform(rng, 1f, 16f, heads).data();
        float[] out = new float[heads];
        for (int h = 0; h < heads; h++) {
            out[h] = (float) Math.log(a[h]);
        }
        return Tensor.of(out, heads);
    }

    /** {@code softplus^-1(dt)} with {@code dt} log-uniform in [0.001, 0.1] (floored at 1e-4). */
    static Tensor dtBias(Rng rng, int n) {
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            double dt = Math.max(1e-4, Math.exp(rng.nextDouble() * (Math.log(0.1) - Math.log(0.001))
                    + Math.log(0.001)));
            // softplus(b) = dt  <=>  b = dt + log(1 - exp(-dt))
            b[i] = (float) (dt + Math.log(-Math.expm1(-dt)));
        }
        return Tensor.of(b, n);
    }

    @Override
    public BlockSpec spec() {
        return shape.spec();
    }

    @Override
    public Map<String, Tensor> parameters() {
        return params;
    }

    @Override
    public MixerState initialState(int batch) {
        shape.requireBatch(batch);
        return MixerState.of(0, STATE, Tensor.zeros(batch, config.convKernel() - 1, config.convDim()),
                Tensor.zeros(batch, config.heads(), config.headDim(), config.stateSize()));
    }

    @Override
    public MixerOutput forward(Tensor x, MixerState state) {
        shape.requireInput(x);
        int batch = x.dim(0);
        MixerState s = state == null ? initialState(batch) : state;
        Tensor conv = shape.stateTensor(s, "conv", batch, config.convKernel() - 1, config.convDim());
        Tensor ssm = shape.stateTensor(s, "ssm", batch, config.heads(), config.headDim(), config.stateSize());
        Mamba2Mixer.Result out = mixer.forward(x, conv, ssm);
        return new MixerOutput(out.output(), MixerState.of(s.position() + x.dim(1), STATE, out.convState(),
                out.ssmState()));
    }
}
