package dev.recur.layers.ssm.mamba2;

import dev.recur.layers.block.BlockSpec;
import dev.recur.layers.block.ConvSsmMixer;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.Params;
import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.scan.ssd.SsdChunked;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.block.TimeStepBias;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link Mamba2Mixer} (transformers' numerics) as a block mixer, its parameters under transformers' names inside
 * the mixer ({@code in_proj.weight}, {@code A_log}, ...). State: {@code conv [B, K-1, convDim]} and
 * {@code ssm [B, heads, headDim, N]}.
 *
 * <p>As the stack kind {@code mamba2}: one group of B and C. Options: {@code state} (N, default 16), {@code expand}
 * (default 2), {@code heads} (default one per 16 inner channels), {@code conv} (default 4), {@code chunk} (the
 * chunked scan's length, default 64). Initialised as the reference implementation does: {@code A = U(1, 16)} per
 * head stored as {@code A_log}, {@code D = 1}, {@code dt_bias} the inverse softplus of a step log-uniform in
 * [0.001, 0.1], PyTorch's default {@code U(+-1/sqrt(fan_in))} for the projections and the convolution, the output
 * projection scaled by the stack's residual factor, norm gains 1. Loaded from a checkpoint ({@link #load}), it is
 * the mixer of every Mamba-2 layer of {@link Mamba2Model} and of Bamba.
 */
public final class Mamba2BlockMixer extends ConvSsmMixer {
    private final Mamba2Config config;
    private final Mamba2Mixer mixer;

    /** The stack kind {@code mamba2} over {@code shape}. */
    Mamba2BlockMixer(MixerShape shape, Params p) {
        this(shape, specConfig(shape), p);
    }

    private static Mamba2Config specConfig(MixerShape shape) {
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
        return new Mamba2Config(1, d, 1, heads, inner / heads, n, 1, inner, k, shape.positive("chunk", 64),
                1e-5f, false, true, "silu", 0.0, Double.POSITIVE_INFINITY, false);
    }

    private Mamba2BlockMixer(MixerShape shape, Mamba2Config config, Params p) {
        super(shape);
        this.config = config;
        int d = shape.dModel();
        int inner = config.intermediateSize();
        int heads = config.heads();
        int k = config.convKernel();
        int convDim = config.convDim();
        int projected = config.projectionSize();
        take(p, "in_proj.weight", new int[] {projected, d}, Params.fanIn(projected, d, 1f));
        if (config.useBias()) {
            take(p, "in_proj.bias", new int[] {projected}, Params.constant(0f, projected));
        }
        float convBound = (float) (1 / Math.sqrt(k));
        take(p, "conv1d.weight", new int[] {convDim, 1, k},
                rng -> Tensor.uniform(rng, -convBound, convBound, convDim, 1, k));
        if (config.useConvBias()) {
            take(p, "conv1d.bias", new int[] {convDim},
                    rng -> Tensor.uniform(rng, -convBound, convBound, convDim));
        }
        take(p, "dt_bias", new int[] {heads}, rng -> TimeStepBias.draw(rng, heads));
        take(p, "A_log", new int[] {heads}, rng -> aLog(rng, heads));
        take(p, "D", new int[] {heads}, Params.constant(1f, heads));
        take(p, "norm.weight", new int[] {inner}, Params.constant(1f, inner));
        take(p, "out_proj.weight", new int[] {d, inner},
                Params.fanIn(d, inner, shape.outScale()));
        if (config.useBias()) {
            take(p, "out_proj.bias", new int[] {d}, Params.constant(0f, d));
        }
        this.mixer = new Mamba2Mixer(config, param("in_proj.weight"), param("in_proj.bias"), param("conv1d.weight"),
                param("conv1d.bias"), param("dt_bias"), param("A_log"), param("D"), param("norm.weight"),
                param("out_proj.weight"), param("out_proj.bias"), new SsdChunked(config.chunkSize()));
    }

    /**
     * The mixer of one Mamba-2 layer of {@code config}, its weights from {@code p} (e.g. a checkpoint under
     * {@code backbone.layers.0.mixer.}).
     */
    public static Mamba2BlockMixer load(Mamba2Config config, Params p) {
        Map<String, Integer> options = new LinkedHashMap<>();
        options.put("state", config.stateSize());
        options.put("heads", config.heads());
        options.put("conv", config.convKernel());
        options.put("chunk", config.chunkSize());
        if (config.intermediateSize() % config.hiddenSize() == 0) {
            options.put("expand", config.intermediateSize() / config.hiddenSize());
        }
        MixerShape shape = new MixerShape(new BlockSpec(Mamba2MixerKind.MAMBA2, options), config.hiddenSize(), 1f);
        return new Mamba2BlockMixer(shape, config, p);
    }

    /** The mixer itself, for models that carry its states under their own names. */
    public Mamba2Mixer mixer() {
        return mixer;
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
