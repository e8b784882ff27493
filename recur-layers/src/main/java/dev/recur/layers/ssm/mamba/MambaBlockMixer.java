package dev.recur.layers.ssm.mamba;

import dev.recur.layers.block.ConvSsmMixer;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.Params;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code mamba}: the selective-SSM mixer of a Mamba block ({@link MambaMixer}, transformers' numerics) under
 * transformers' parameter names, initialised as {@link MambaInit} initialises a Mamba LM, with the output
 * projection scaled by the stack's residual factor. Options: {@code state} (N, default 16), {@code expand}
 * (inner width over d_model, default 2), {@code conv} (kernel width, default 4); the step-size rank is
 * {@code ceil(d_model / 16)}. State: {@code conv [B, K-1, inner]} and {@code ssm [B, inner, N]}.
 */
final class MambaBlockMixer extends ConvSsmMixer {
    private final MambaConfig config;
    private final MambaMixer mixer;

    MambaBlockMixer(MixerShape shape, Params p) {
        super(shape);
        int d = shape.dModel();
        int inner = shape.positive("expand", 2) * d;
        int n = shape.positive("state", 16);
        int k = shape.conv(false);
        int rank = (d + 15) / 16;
        // The mixer reads only the sizes; the vocabulary and layer count of this config are placeholders.
        this.config = new MambaConfig("mamba", 1, d, inner, n, k, rank, 1, 1e-5f, false, true, true, false, 1e-6f);
        Map<String, Tensor> drawn = p.drawing() ? MambaInit.weights(config, p.rng()) : Map.of();
        String from = "backbone.layers.0.mixer.";
        Function<String, Function<Rng, Tensor>> init = name -> rng -> drawn.get(from + name);
        take(p, "in_proj.weight", init, 2 * inner, d);
        take(p, "conv1d.weight", init, inner, 1, k);
        take(p, "conv1d.bias", init, inner);
        take(p, "x_proj.weight", init, rank + 2 * n, inner);
        take(p, "dt_proj.weight", init, inner, rank);
        take(p, "dt_proj.bias", init, inner);
        take(p, "A_log", init, inner, n);
        take(p, "D", init, inner);
        float scale = shape.outScale();
        take(p, "out_proj.weight", name -> rng -> Arithmetic.mul(drawn.get(from + name), scale), d, inner);
        this.mixer = new MambaMixer(config, param("in_proj.weight"), null, param("conv1d.weight"),
                param("conv1d.bias"), param("x_proj.weight"), param("dt_proj.weight"), param("dt_proj.bias"),
                param("A_log"), param("D"), param("out_proj.weight"), null);
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
