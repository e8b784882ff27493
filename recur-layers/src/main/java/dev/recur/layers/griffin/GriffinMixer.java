package dev.recur.layers.griffin;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.CausalConv1d;
import dev.recur.core.ops.Linear;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.block.AdapterMixer;
import dev.recur.layers.block.BlockSpec;
import dev.recur.layers.block.MixerOutput;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.block.Params;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Griffin's recurrent block (De et al. 2024, "Griffin: Mixing Gated Linear Recurrences with Local Attention for
 * Efficient Language Models", section 2.4 and figure 2), as transformers' {@code RecurrentGemmaRecurrentBlock}:
 * <pre>
 *   y   = gelu(W_y x + b_y)                                  the gate branch
 *   u   = conv1d(W_x x + b_x)                                causal, depthwise, conv_width taps, with a bias
 *   h   = RG-LRU(u)                                          {@link RgLru}, reset at position 0
 *   out = W_out (h * y) + b_out
 * </pre>
 * under transformers' names inside the block ({@code linear_x.weight}, {@code conv_1d.weight},
 * {@code rg_lru.recurrent_param}, ...). State: {@code conv [B, K-1, L]} (the convolution's last inputs) and
 * {@code rg_lru [B, L]}. One class serves RecurrentGemma's recurrent layers ({@link #load}) and the stack kind
 * {@code griffin}.
 *
 * <p>As the stack kind {@code griffin}: options {@code heads} (the RG-LRU's gate blocks, default one per 32
 * channels), {@code expand} (L over d_model, default 1) and {@code conv} (default 4); the tanh GELU. Initialised
 * as the Griffin reference code does: the RG-LRU's {@code lambda} drawn so that {@code a = exp(-softplus(lambda))}
 * has {@code a^2} uniform in [0.9^2, 0.999^2] ({@code rnn_param_init}), PyTorch's default
 * {@code U(+-1/sqrt(fan_in))} for the projections, the gate blocks and the convolution, zero biases, the output
 * projection scaled by the stack's residual factor.
 */
public final class GriffinMixer extends AdapterMixer {
    private static final String[] STATE = {"conv", "rg_lru"};
    private static final double MIN_RADIUS = 0.9;
    private static final double MAX_RADIUS = 0.999;

    private final GriffinMixerConfig config;
    private final RgLru rgLru;

    /** The stack kind {@code griffin} over {@code shape}. */
    static GriffinMixer spec(MixerShape shape, Params p) {
        int d = shape.dModel();
        int width = shape.positive("expand", 1) * d;
        int heads = shape.positive("heads", Math.max(1, d / 32));
        GriffinMixerConfig config;
        try {
            config = new GriffinMixerConfig(width, heads, shape.conv(false), false);
        } catch (RecurException e) {
            throw new RecurException("stack block '" + shape.spec() + "': " + e.getMessage());
        }
        return new GriffinMixer(shape, config, p);
    }

    /**
     * A recurrent block of {@code config} over a residual stream of {@code hidden}, its weights from {@code p}
     * (e.g. a checkpoint under {@code model.layers.0.temporal_block.}).
     */
    public static GriffinMixer load(GriffinMixerConfig config, int hidden, Params p) {
        Map<String, Integer> options = new LinkedHashMap<>();
        options.put("heads", config.heads());
        options.put("conv", config.convWidth());
        if (config.lruWidth() % hidden == 0) {
            options.put("expand", config.lruWidth() / hidden);
        }
        BlockSpec spec = new BlockSpec(GriffinMixerKind.GRIFFIN, options);
        return new GriffinMixer(new MixerShape(spec, hidden, 1f), config, p);
    }

    private GriffinMixer(MixerShape shape, GriffinMixerConfig config, Params p) {
        super(shape);
        this.config = config;
        int d = shape.dModel();
        int l = config.lruWidth();
        int heads = config.heads();
        int w = config.blockWidth();
        int k = config.convWidth();
        // The RG-LRU first: a checkpoint without this recurrent block is reported by its rg_lru.recurrent_param.
        float gateBound = (float) (1 / Math.sqrt(w));
        rgLru = new RgLru(take(p, "rg_lru.recurrent_param", new int[] {l}, rng -> recurrentParam(rng, l)),
                take(p, "rg_lru.input_gate_weight", new int[] {heads, w, w},
                        rng -> Tensor.uniform(rng, -gateBound, gateBound, heads, w, w)),
                take(p, "rg_lru.input_gate_bias", new int[] {heads, w}, Params.constant(0f, heads, w)),
                take(p, "rg_lru.recurrent_gate_weight", new int[] {heads, w, w},
                        rng -> Tensor.uniform(rng, -gateBound, gateBound, heads, w, w)),
                take(p, "rg_lru.recurrent_gate_bias", new int[] {heads, w}, Params.constant(0f, heads, w)));
        linear(p, "linear_x", l, d, 1f);
        linear(p, "linear_y", l, d, 1f);
        linear(p, "linear_out", d, l, shape.outScale());
        float convBound = (float) (1 / Math.sqrt(k));
        take(p, "conv_1d.weight", new int[] {l, 1, k}, rng -> Tensor.uniform(rng, -convBound, convBound, l, 1, k));
        take(p, "conv_1d.bias", new int[] {l}, Params.constant(0f, l));
    }

    private void linear(Params p, String name, int out, int in, float scale) {
        take(p, name + ".weight", new int[] {out, in}, Params.fanIn(out, in, scale));
        take(p, name + ".bias", new int[] {out}, Params.constant(0f, out));
    }

    /**
     * {@code lambda} with {@code a = exp(-softplus(lambda))} and {@code a^2 ~ U(0.9^2, 0.999^2)} (the reference's
     * {@code rnn_param_init}): {@code lambda = softplus^-1(-log a) = log(exp(-log a) - 1)}.
     */
    private static Tensor recurrentParam(Rng rng, int n) {
        float[] lambda = new float[n];
        for (int i = 0; i < n; i++) {
            double aSquared = MIN_RADIUS * MIN_RADIUS
                    + (MAX_RADIUS * MAX_RADIUS - MIN_RADIUS * MIN_RADIUS) * rng.nextDouble();
            double negLogA = -0.5 * Math.log(aSquared);
            lambda[i] = (float) Math.log(Math.expm1(negLogA));
        }
        return Tensor.of(lambda, n);
    }

    public GriffinMixerConfig config() {
        return config;
    }

    private int[] convShape(int batch) {
        return new int[] {batch, config.convWidth() - 1, config.lruWidth()};
    }

    @Override
    public MixerState initialState(int batch) {
        shape.requireBatch(batch);
        return MixerState.of(0, STATE, Tensor.zeros(convShape(batch)), Tensor.zeros(batch, config.lruWidth()));
    }

    @Override
    public MixerOutput forward(Tensor x, MixerState state) {
        shape.requireInput(x);
        int batch = x.dim(0);
        MixerState s = state == null ? initialState(batch) : state;
        Tensor convState = shape.stateTensor(s, STATE[0], convShape(batch));
        Tensor hidden = shape.stateTensor(s, STATE[1], batch, config.lruWidth());
        Tensor y = Activations.gelu(Linear.apply(x, param("linear_y.weight"), param("linear_y.bias")),
                config.exactGelu() ? "none" : "tanh");                                  // [B, T, L]
        Tensor weight = Reshaping.reshape(param("conv_1d.weight"), config.lruWidth(), config.convWidth()); // [L, K]
        CausalConv1d.Result conv = CausalConv1d.forward(Linear.apply(x, param("linear_x.weight"),
                param("linear_x.bias")), weight, param("conv_1d.bias"), convState);
        RgLru.Result lru = rgLru.forward(conv.output(), hidden, s.position());
        Tensor out = Linear.apply(Arithmetic.mul(lru.output(), y), param("linear_out.weight"),
                param("linear_out.bias"));
        return new MixerOutput(out, MixerState.of(s.position() + x.dim(1), STATE, conv.state(), lru.state()));
    }
}
