package dev.recur.layers.depth;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Linear;
import dev.recur.core.ops.Norms;
import dev.recur.core.ops.Reductions;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.attention.AttentionConfig;
import dev.recur.layers.attention.CausalAttention;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A causal Universal Transformer with Adaptive Computation Time (Dehghani et al. 2019, "Universal
 * Transformers"; Graves 2016, "Adaptive Computation Time for Recurrent Neural Networks").
 *
 * <p>One shared pre-norm block is applied to the state {@code s [B, T, D]} up to {@code maxSteps} times. At
 * depth step {@code n}: {@code u = s + P_n} (the {@link CoordinateSignal}), {@code h = u + W_o attn(rms(u))},
 * {@code s_n = h + down(gelu_tanh(up(rms(h))))}, where the attention also rotates queries and keys by their
 * positions ({@link dev.recur.layers.attention.RotaryEmbedding}: one head can then look a fixed distance back),
 * then the halting unit {@code p_n = sigmoid(w_h . s_n + b_h)}.
 * Position {@code t} halts at the first {@code N} with {@code sum_{n <= N} p_n >= 1 - epsilon} (or at
 * {@code maxSteps}); its output is {@code sum_{n < N} p_n s_n + R s_N} with the remainder
 * {@code R = 1 - sum_{n < N} p_n}, and its ponder cost is {@code N + R}.
 *
 * <p>Causality with per-position halting: each position halts independently. At depth step {@code n} the
 * attention of a running position reads every earlier position's state after step {@code n - 1}; a position
 * that has halted keeps its last state frozen and still serves as a key and value (as in the paper). Halting
 * of position {@code t} depends only on its own states, and those only on positions {@code <= t}, so the
 * output at {@code t} never depends on later tokens. The halting decisions are data (no gradient flows
 * through {@code N}); gradients reach the states, the halting probabilities and the remainders.
 *
 * <p>Parameters ({@link Linear}'s {@code [out, in]} layout): {@code attn_norm.weight [D]},
 * {@code attn.q.weight}, {@code attn.k.weight}, {@code attn.v.weight}, {@code attn.o.weight} (each
 * {@code [D, D]}), {@code mlp_norm.weight [D]}, {@code mlp.up.weight [M, D]}, {@code mlp.up.bias [M]},
 * {@code mlp.down.weight [D, M]}, {@code mlp.down.bias [D]}, {@code halt.weight [1, D]}, {@code halt.bias [1]}.
 */
public final class UniversalTransformer {
    private static final float NORM_EPS = 1e-5f;
    private static final List<String> NAMES = List.of("attn_norm.weight", "attn.q.weight", "attn.k.weight",
            "attn.v.weight", "attn.o.weight", "mlp_norm.weight", "mlp.up.weight", "mlp.up.bias",
            "mlp.down.weight", "mlp.down.bias", "halt.weight", "halt.bias");

    private final UniversalTransformerConfig config;
    private final AttentionConfig attention;
    private final Map<String, Tensor> parameters;

    private UniversalTransformer(UniversalTransformerConfig config, Map<String, Tensor> parameters) {
        this.config = config;
        int hd = config.headDim();
        this.attention = new AttentionConfig(config.heads(), config.heads(), hd, hd, 10000.0, 0);
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * A fresh block: norms 1, projections {@code N(0, 1/D)} (the output ones scaled down by {@code sqrt(2)}),
     * MLP biases 0, halting weight {@code N(0, 1/D)} and bias {@code haltBiasInit}, drawn in the order above.
     */
    public static UniversalTransformer create(UniversalTransformerConfig config, Rng rng) {
        if (config == null || rng == null) {
            throw new RecurException("universal transformer: a config and a generator are required");
        }
        int d = config.width();
        int m = config.mlpSize();
        float std = (float) (1 / Math.sqrt(d));
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("attn_norm.weight", Tensor.full(1f, d));
        p.put("attn.q.weight", Tensor.randn(rng.split(), std, d, d));
        p.put("attn.k.weight", Tensor.randn(rng.split(), std, d, d));
        p.put("attn.v.weight", Tensor.randn(rng.split(), std, d, d));
        p.put("attn.o.weight", Tensor.randn(rng.split(), std / (float) Math.sqrt(2), d, d));
        p.put("mlp_norm.weight", Tensor.full(1f, d));
        p.put("mlp.up.weight", Tensor.randn(rng.split(), std, m, d));
        p.put("mlp.up.bias", Tensor.zeros(m));
        p.put("mlp.down.weight", Tensor.randn(rng.split(), (float) (1 / Math.sqrt(2.0 * m)), d, m));
        p.put("mlp.down.bias", Tensor.zeros(d));
        p.put("halt.weight", Tensor.randn(rng.split(), std, 1, d));
        p.put("halt.bias", Tensor.full(config.haltBiasInit(), 1));
        p.replaceAll((name, t) -> t.requiresGrad(true));
        return new UniversalTransformer(config, p);
    }

    /** A block over the given tensors (used as they are, not copied), checking every name and shape. */
    public static UniversalTransformer of(UniversalTransformerConfig config, Map<String, Tensor> weights) {
        if (config == null || weights == null) {
            throw new RecurException("universal transformer: a config and weights are required");
        }
        int d = config.width();
        int m = config.mlpSize();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        shapes.put("attn_norm.weight", new int[] {d});
        for (String w : List.of("attn.q.weight", "attn.k.weight", "attn.v.weight", "attn.o.weight")) {
            shapes.put(w, new int[] {d, d});
        }
        shapes.put("mlp_norm.weight", new int[] {d});
        shapes.put("mlp.up.weight", new int[] {m, d});
        shapes.put("mlp.up.bias", new int[] {m});
        shapes.put("mlp.down.weight", new int[] {d, m});
        shapes.put("mlp.down.bias", new int[] {d});
        shapes.put("halt.weight", new int[] {1, d});
        shapes.put("halt.bias", new int[] {1});
        for (String name : weights.keySet()) {
            if (!shapes.containsKey(name)) {
                throw new RecurException("universal transformer: unexpected weight '" + name + "'; expected "
                        + NAMES);
            }
        }
        Map<String, Tensor> p = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            Tensor t = weights.get(e.getKey());
            if (t == null) {
                throw new RecurException("universal transformer: missing weight '" + e.getKey() + "' of shape "
                        + Shapes.format(e.getValue()));
            }
            Shapes.require("universal transformer", "weight '" + e.getKey() + "'", e.getValue(), t.shape());
            p.put(e.getKey(), t);
        }
        return new UniversalTransformer(config, p);
    }

    public UniversalTransformerConfig config() {
        return config;
    }

    /** The parameters under the names of the class comment, in that order. */
    public Map<String, Tensor> parameters() {
        return parameters;
    }

    /** Runs ACT over the input states {@code x [B, T, D]} (e.g. token embeddings). */
    public ActResult forward(Tensor x) {
        if (x == null || x.rank() != 3 || x.dim(0) == 0 || x.dim(1) == 0 || x.dim(2) != config.width()) {
            throw new RecurException("universal transformer: expected x [B, T, " + config.width()
                    + "] with B, T >= 1, got " + (x == null ? "null" : Shapes.format(x.shape())));
        }
        int batch = x.dim(0);
        int steps = x.dim(1);
        int positions = batch * steps;
        float threshold = (float) (1 - config.epsilon());

        Tensor state = x;                                         // [B, T, D]
        Tensor output = null;                                     // [B, T, D]
        Tensor cumulative = Tensor.zeros(batch, steps);           // sum of p_n over the steps not halted on
        Tensor remainders = Tensor.zeros(batch, steps);
        boolean[] running = new boolean[positions];
        Arrays.fill(running, true);
        int[] counts = new int[positions];
        int active = positions;
        for (int n = 1; n <= config.maxSteps() && active > 0; n++) {
            Tensor block = apply(state, n, steps);
            float[] runMask = new float[positions];
            for (int i = 0; i < positions; i++) {
                runMask[i] = running[i] ? 1f : 0f;
            }
            // Halted positions keep their frozen state; running ones take the block's.
            Tensor keep = Tensor.of(runMask, batch, steps, 1);
            state = Arithmetic.add(Arithmetic.mul(block, keep),
                    Arithmetic.mul(state, Arithmetic.add(Arithmetic.neg(keep), 1f)));
            Tensor halt = Activations.sigmoid(Linear.apply(state, parameters.get("halt.weight"),
                    parameters.get("halt.bias")));                // [B, T, 1]
            halt = Reshaping.reshape(halt, batch, steps);
            float[] p = halt.data();
            float[] cum = cumulative.data();
            float[] continuing = new float[positions];
            float[] halting = new float[positions];
            for (int i = 0; i < positions; i++) {
                if (!running[i]) {
                    continue;
                }
                counts[i]++;
                if (n == config.maxSteps() || cum[i] + p[i] >= threshold) {
                    halting[i] = 1f;
                    running[i] = false;
                    active--;
                } else {
                    continuing[i] = 1f;
                }
            }
            Tensor cont = Tensor.of(continuing, batch, steps);
            Tensor stop = Tensor.of(halting, batch, steps);
            Tensor remainder = Arithmetic.mul(stop, Arithmetic.add(Arithmetic.neg(cumulative), 1f));
            Tensor weight = Arithmetic.add(Arithmetic.mul(cont, halt), remainder);          // [B, T]
            Tensor weighted = Arithmetic.mul(state, Reshaping.reshape(weight, batch, steps, 1));
            output = output == null ? weighted : Arithmetic.add(output, weighted);
            cumulative = Arithmetic.add(cumulative, Arithmetic.mul(cont, halt));
            remainders = Arithmetic.add(remainders, remainder);
        }
        float[] n = new float[positions];
        for (int i = 0; i < positions; i++) {
            n[i] = counts[i];
        }
        Tensor ponder = Arithmetic.add(remainders, Tensor.of(n, batch, steps));
        return new ActResult(output, IntTensor.of(counts, batch, steps), remainders, ponder,
                Reductions.mean(ponder));
    }

    /** One application of the shared block at depth step {@code n} to {@code s [B, T, D]}. */
    private Tensor apply(Tensor s, int n, int steps) {
        Tensor u = Arithmetic.add(s, CoordinateSignal.at(steps, config.width(), n));          // [B, T, D]
        Tensor a = Norms.rmsNorm(u, parameters.get("attn_norm.weight"), NORM_EPS);
        Tensor attended = CausalAttention.forward(attention, Linear.apply(a, parameters.get("attn.q.weight")),
                Linear.apply(a, parameters.get("attn.k.weight")), Linear.apply(a, parameters.get("attn.v.weight")),
                null, 0).output();                                                            // [B, T, D]
        Tensor h = Arithmetic.add(u, Linear.apply(attended, parameters.get("attn.o.weight")));
        Tensor m = Norms.rmsNorm(h, parameters.get("mlp_norm.weight"), NORM_EPS);
        Tensor up = Activations.gelu(Linear.apply(m, parameters.get("mlp.up.weight"),
                parameters.get("mlp.up.bias")), "tanh");                                      // [B, T, M]
        return Arithmetic.add(h, Linear.apply(up, parameters.get("mlp.down.weight"),
                parameters.get("mlp.down.bias")));
    }
}
