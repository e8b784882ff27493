package dev.recur.layers.ssm.mamba2;

import dev.recur.layers.block.ConvSsmMixer;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.Params;
import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.scan.ssd.SsdChunked;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.block.TimeStepBias;

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
final class Mamba2BlockMixer extends ConvSsmMixer {
    private final Mamba2Config config;
    private final Mamba2Mixer mixer;

    Mamba2BlockMixer(MixerShape shape, Params p) {
        super(shape);
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
        take(p, "in_proj.weight", new int[] {projected, d}, Params.fanIn(projected, d, 1f));
        float convBound = (float) (1 / Math.sqrt(k));
        take(p, "conv1d.weight", new int[] {convDim, 1, k},
                rng -> Tensor.uniform(rng, -convBound, convBound, convDim, 1, k));
        take(p, "conv1d.bias", new int[] {convDim},
                rng -> Tensor.uniform(rng, -convBound, convBound, convDim));
        take(p, "dt_bias", new int[] {heads}, rng -> TimeStepBias.draw(rng, heads));
        take(p, "A_log", new int[] {heads}, rng -> aLog(rng, heads));
        take(p, "D", new int[] {heads}, Params.constant(1f, heads));
        take(p, "norm.weight", new int[] {inner}, Params.constant(1f, inner));
        take(p, "out_proj.weight", new int[] {d, inner},
                Params.fanIn(d, inner, shape.outScale()));
        this.mixer = new Mamba2Mixer(config, param("in_proj.weight"), null, param("conv1d.weight"),
                param("conv1d.bias"), param("dt_bias"), param("A_log"), param("D"), param("norm.weight"),
                param("out_proj.weight"), null, new SsdChunked(config.chunkSize()));
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

    @Override
    protected int[] convShape(int batch) {
        return new int[] {batch, config.convKernel() - 1, config.convDim()};
    }

    @Override
    protected int[] ssmShape(int batch) {
        return new int[] {batch, config.heads(), config.headDim(), config.stateSize()};
    }

    @Override
    protected Tensor[] run(Tensor x, Tensor conv, Tensor ssm) {
        Mamba2Mixer.Result out = mixer.forward(x, conv, ssm);
        return new Tensor[] {out.output(), out.convState(), out.ssmState()};
    }
}
