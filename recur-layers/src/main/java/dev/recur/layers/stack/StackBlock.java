package dev.recur.layers.stack;

import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Linear;
import dev.recur.core.ops.Norms;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.block.BlockSpec;
import dev.recur.layers.block.Mixer;
import dev.recur.layers.block.MixerOutput;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.block.Params;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pre-norm residual block of a stack: {@code h = x + mixer(rmsNorm(x))}, then, when the stack has an MLP,
 * {@code y = h + W_down (silu(W_gate n) * W_up n)} with {@code n = rmsNorm(h)} (SwiGLU; Shazeer 2020, "GLU
 * Variants Improve Transformer"), as Llama-style and Mamba-2-hybrid blocks are built. Parameters:
 * {@code norm.weight}, {@code mixer.*}, and with the MLP {@code mlp_norm.weight}, {@code mlp.gate.weight},
 * {@code mlp.up.weight} {@code [F, D]} and {@code mlp.down.weight} {@code [D, F]}. Only the mixer has a state.
 */
public final class StackBlock {
    private final Mixer mixer;
    private final float eps;
    private final Map<String, Tensor> params = new LinkedHashMap<>();

    /**
     * A block of {@code spec} over width {@code dModel}, with a SwiGLU MLP of {@code mlpHidden} units (0: none),
     * RMSNorm epsilon {@code eps}, output projections initially scaled by {@code outScale}.
     */
    public StackBlock(BlockSpec spec, int dModel, int mlpHidden, float eps, float outScale, Params p) {
        this.eps = eps;
        params.put("norm.weight", p.get("norm.weight", new int[] {dModel}, Params.constant(1f, dModel)));
        this.mixer = spec.create(dModel, outScale, p.under("mixer."));
        mixer.parameters().forEach((name, t) -> params.put("mixer." + name, t));
        if (mlpHidden > 0) {
            params.put("mlp_norm.weight", p.get("mlp_norm.weight", new int[] {dModel}, Params.constant(1f, dModel)));
            params.put("mlp.gate.weight", p.get("mlp.gate.weight", new int[] {mlpHidden, dModel},
                    Params.fanIn(mlpHidden, dModel, 1f)));
            params.put("mlp.up.weight", p.get("mlp.up.weight", new int[] {mlpHidden, dModel},
                    Params.fanIn(mlpHidden, dModel, 1f)));
            params.put("mlp.down.weight", p.get("mlp.down.weight", new int[] {dModel, mlpHidden},
                    Params.fanIn(dModel, mlpHidden, outScale)));
        }
    }

    /**
     * The blocks of {@code specs} over width {@code dModel}, their parameters taken from {@code p} under
     * {@code blocks.i.} and recorded in {@code into} under those names; every block's output projections start
     * scaled by GPT-2's {@code 1 / sqrt(2 * blocks)}, so that the residual stream does not grow with depth.
     */
    public static List<StackBlock> build(List<BlockSpec> specs, int dModel, int mlpHidden, float eps, Params p,
                                         Map<String, Tensor> into) {
        float outScale = (float) (1 / Math.sqrt(2.0 * specs.size()));
        List<StackBlock> built = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            String prefix = "blocks." + i + ".";
            StackBlock block = new StackBlock(specs.get(i), dModel, mlpHidden, eps, outScale, p.under(prefix));
            block.parameters().forEach((name, t) -> into.put(prefix + name, t));
            built.add(block);
        }
        return List.copyOf(built);
    }

    public Mixer mixer() {
        return mixer;
    }

    /** The block's parameters under block-local names, in a stable order. */
    public Map<String, Tensor> parameters() {
        return Collections.unmodifiableMap(params);
    }

    /** Runs {@code x [B, T, D]} from the mixer's {@code state} (null: its initial state). */
    public MixerOutput forward(Tensor x, MixerState state) {
        MixerOutput mixed = mixer.forward(Norms.rmsNorm(x, params.get("norm.weight"), eps), state);
        Tensor h = Arithmetic.add(x, mixed.output());
        if (params.containsKey("mlp_norm.weight")) {
            Tensor n = Norms.rmsNorm(h, params.get("mlp_norm.weight"), eps);
            Tensor gated = Arithmetic.mul(Activations.silu(Linear.apply(n, params.get("mlp.gate.weight"))),
                    Linear.apply(n, params.get("mlp.up.weight")));
            h = Arithmetic.add(h, Linear.apply(gated, params.get("mlp.down.weight")));
        }
        return new MixerOutput(h, mixed.state());
    }
}
