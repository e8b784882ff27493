package dev.recur.layers.ssm.mamba;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.block.BlockSpec;
import dev.recur.layers.block.ConvSsmMixer;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.Params;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link MambaMixer} as a block mixer, its parameters under transformers' names inside the mixer
 * ({@code in_proj.weight}, {@code A_log}, ...). State: {@code conv [B, K-1, inner]} and {@code ssm [B, inner, N]}.
 *
 * <p>As the stack kind {@code mamba}, initialised as {@link MambaInit} initialises a Mamba LM, with the output
 * projection scaled by the stack's residual factor. Options: {@code state} (N, default 16), {@code expand}
 * (inner width over d_model, default 2), {@code conv} (kernel width, default 4); the step-size rank is
 * {@code ceil(d_model / 16)}. Loaded from a checkpoint ({@link #load}), it is the Mamba layer of an HF hybrid
 * (Jamba), with that model's biases and dt/B/C norms.
 */
public final class MambaBlockMixer extends ConvSsmMixer {
    private final MambaMixerConfig config;
    private final MambaMixer mixer;

    /** The stack kind {@code mamba} over {@code shape}. */
    MambaBlockMixer(MixerShape shape, Params p) {
        this(shape, specConfig(shape), p);
    }

    private MambaBlockMixer(MixerShape shape, MambaMixerConfig config, Params p) {
        super(shape);
        this.config = config;
        int d = shape.dModel();
        int inner = config.intermediateSize();
        int n = config.stateSize();
        int k = config.convKernel();
        int rank = config.timeStepRank();
        boolean normed = config.dtBcNorm() == MambaMixerConfig.DtBcNorm.WEIGHTED;
        Map<String, Tensor> drawn = p.drawing() ? MambaInit.weights(
                new MambaConfig("mamba", 1, d, inner, n, k, rank, 1, 1e-5f, false, true, true, false, 1e-6f),
                p.rng()) : Map.of();
        String from = "backbone.layers.0.mixer.";
        Function<String, Function<Rng, Tensor>> init = name -> rng -> drawn.get(from + name);
        take(p, "in_proj.weight", init, 2 * inner, d);
        if (config.useBias()) {
            take(p, "in_proj.bias", init, 2 * inner);
        }
        take(p, "conv1d.weight", init, inner, 1, k);
        if (config.useConvBias()) {
            take(p, "conv1d.bias", init, inner);
        }
        take(p, "x_proj.weight", init, rank + 2 * n, inner);
        if (normed) {
            take(p, "dt_layernorm.weight", init, rank);
            take(p, "b_layernorm.weight", init, n);
            take(p, "c_layernorm.weight", init, n);
        }
        take(p, "dt_proj.weight", init, inner, rank);
        take(p, "dt_proj.bias", init, inner);
        take(p, "A_log", init, inner, n);
        take(p, "D", init, inner);
        float scale = shape.outScale();
        take(p, "out_proj.weight", name -> rng -> Arithmetic.mul(drawn.get(from + name), scale), d, inner);
        if (config.useBias()) {
            take(p, "out_proj.bias", init, d);
        }
        this.mixer = new MambaMixer(config, this::param);
    }

    /**
     * A Mamba mixer of {@code config} over a residual stream of {@code hidden}, loaded from {@code p} (a checkpoint
     * under the layer's prefix, e.g. Jamba's {@code model.layers.0.mamba.}).
     */
    public static MambaBlockMixer load(MambaMixerConfig config, int hidden, Params p) {
        if (p.drawing()) {
            throw new RecurException("mamba mixer: load takes its weights from a checkpoint; draw new ones through"
                    + " the stack kind 'mamba'");
        }
        Map<String, Integer> options = new LinkedHashMap<>();
        options.put("state", config.stateSize());
        options.put("conv", config.convKernel());
        if (config.intermediateSize() % hidden == 0) {
            options.put("expand", config.intermediateSize() / hidden);
        }
        MixerShape shape = new MixerShape(new BlockSpec(MambaMixerKind.MAMBA, options), hidden, 1f);
        return new MambaBlockMixer(shape, config, p);
    }

    private static MambaMixerConfig specConfig(MixerShape shape) {
        int d = shape.dModel();
        return new MambaMixerConfig(shape.positive("expand", 2) * d, shape.positive("state", 16), shape.conv(false),
                (d + 15) / 16, false, true, MambaMixerConfig.DtBcNorm.NONE, 1e-6f);
    }

    private void take(Params p, String name, Function<String, Function<Rng, Tensor>> init, int... dims) {
        take(p, name, dims, init.apply(name));
    }

    @Override
    protected int[] convShape(int batch) {
        return new int[] {batch, config.convKernel() - 1, config.intermediateSize()};
    }

    @Override
    protected int[] ssmShape(int batch) {
        return new int[] {batch, config.intermediateSize(), config.stateSize()};
    }

    @Override
    protected Tensor[] run(Tensor x, Tensor conv, Tensor ssm) {
        MambaMixer.Output out = mixer.forward(x, conv, ssm);
        return new Tensor[] {out.y(), out.convState(), out.ssmState()};
    }
}
