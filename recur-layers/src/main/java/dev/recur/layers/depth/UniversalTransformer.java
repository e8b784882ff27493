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
import dev.recur.layers.attention.KvCache;
import dev.recur.layers.attention.RotaryEmbedding;
import java.util.ArrayList;
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
 * <p>Streaming: {@link #forward(Tensor, UniversalTransformerState)} and {@link #step} continue a stream from a
 * {@link UniversalTransformerState}, which holds, per depth step, the keys and values every earlier token offered
 * the attention at that step (from its frozen state once it had halted, since a later token may run deeper).
 * A step loop, a chunked prefill followed by steps, or any split of a forward gives the outputs, halting counts
 * and ponder costs of the whole forward up to float rounding; {@link #forward(Tensor)} is the same loop from
 * the empty state, without building the state.
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

    /** The state before any token, for {@code batch} streams. */
    public UniversalTransformerState initialState(int batch) {
        return UniversalTransformerState.initial(config, batch);
    }

    /**
     * Runs ACT over the input states {@code x [B, T, D]} (e.g. token embeddings) at the start of their streams:
     * {@link #forward(Tensor, UniversalTransformerState)} from the initial state, without building the state.
     */
    public ActResult forward(Tensor x) {
        checkInput(x);
        return run(x, initialState(x.dim(0)), false).act();
    }

    /**
     * Runs ACT over the chunk {@code x [B, T, D]} that follows the tokens {@code state} has seen (null: none).
     * Every token attends, at each depth step, to the cached keys and values of the earlier tokens at that step
     * and to those of the chunk's own earlier tokens; outputs, halting counts and ponder costs equal those of one
     * forward over the whole stream (up to float rounding). The returned state adds the chunk's keys and values
     * at every depth step, including those after a token halted (from its frozen state).
     */
    public UniversalTransformerOutput forward(Tensor x, UniversalTransformerState state) {
        checkInput(x);
        UniversalTransformerState past = state == null ? initialState(x.dim(0)) : state;
        past.check(config, x.dim(0), "universal transformer");
        return run(x, past, true);
    }

    /**
     * One token {@code x [B, D]} after those {@code state} has seen: the forward of a one-token chunk, its
     * results without the time axis ({@code output [B, D]}, halting counts, remainders and ponder costs {@code [B]}).
     */
    public UniversalTransformerOutput step(Tensor x, UniversalTransformerState state) {
        if (x == null || x.rank() != 2 || x.dim(0) == 0 || x.dim(1) != config.width()) {
            throw new RecurException("universal transformer step: expected x [B, " + config.width()
                    + "] with B >= 1, got " + (x == null ? "null" : Shapes.format(x.shape())));
        }
        int batch = x.dim(0);
        UniversalTransformerOutput r = forward(Reshaping.reshape(x, batch, 1, config.width()), state);
        ActResult a = r.act();
        ActResult flat = new ActResult(Reshaping.reshape(a.output(), batch, config.width()),
                IntTensor.of(a.haltingSteps().data(), batch), Reshaping.reshape(a.remainders(), batch),
                Reshaping.reshape(a.ponder(), batch), a.ponderCost());
        return new UniversalTransformerOutput(flat, r.state());
    }

    private void checkInput(Tensor x) {
        if (x == null || x.rank() != 3 || x.dim(0) == 0 || x.dim(1) == 0 || x.dim(2) != config.width()) {
            throw new RecurException("universal transformer: expected x [B, T, " + config.width()
                    + "] with B, T >= 1, got " + (x == null ? "null" : Shapes.format(x.shape())));
        }
    }

    /** The ACT loop over a chunk after {@code past}; the state is null unless {@code keepState}. */
    private UniversalTransformerOutput run(Tensor x, UniversalTransformerState past, boolean keepState) {
        int batch = x.dim(0);
        int steps = x.dim(1);
        int positions = batch * steps;
        long start = past.position();
        float threshold = (float) (1 - config.epsilon());

        List<KvCache> caches = new ArrayList<>(past.depths());
        Tensor state = x;                                         // [B, T, D]
        Tensor output = null;                                     // [B, T, D]
        Tensor cumulative = Tensor.zeros(batch, steps);           // sum of p_n over the steps not halted on
        Tensor remainders = Tensor.zeros(batch, steps);
        boolean[] running = new boolean[positions];
        Arrays.fill(running, true);
        int[] counts = new int[positions];
        int active = positions;
        int depth = 0;
        while (depth < config.maxSteps() && active > 0) {
            int n = ++depth;
            Applied block = apply(state, n, start, caches.get(n - 1));
            caches.set(n - 1, block.cache());
            float[] runMask = new float[positions];
            for (int i = 0; i < positions; i++) {
                runMask[i] = running[i] ? 1f : 0f;
            }
            // Halted positions keep their frozen state; running ones take the block's.
            Tensor keep = Tensor.of(runMask, batch, steps, 1);
            state = Arithmetic.add(Arithmetic.mul(block.state(), keep),
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
        ActResult act = new ActResult(output, IntTensor.of(counts, batch, steps), remainders, ponder,
                Reductions.mean(ponder));
        if (!keepState) {
            return new UniversalTransformerOutput(act, null);
        }
        // Later tokens may run deeper than this chunk did: they read its frozen states at those steps too.
        for (int later = depth + 1; later <= config.maxSteps(); later++) {
            caches.set(later - 1, extend(caches.get(later - 1), state, later, start));
        }
        return new UniversalTransformerOutput(act, new UniversalTransformerState(caches, start + steps));
    }

    /** The shared block's new states and the attention cache at its depth step after the chunk. */
    private record Applied(Tensor state, KvCache cache) {}

    /** One application of the shared block at depth step {@code n} to the chunk {@code s [B, T, D]}. */
    private Applied apply(Tensor s, int n, long start, KvCache past) {
        Tensor u = Arithmetic.add(s, CoordinateSignal.at(start, s.dim(1), config.width(), n));   // [B, T, D]
        Tensor a = Norms.rmsNorm(u, parameters.get("attn_norm.weight"), NORM_EPS);
        CausalAttention.Result attended = CausalAttention.forward(attention,
                Linear.apply(a, parameters.get("attn.q.weight")), Linear.apply(a, parameters.get("attn.k.weight")),
                Linear.apply(a, parameters.get("attn.v.weight")), past, start);                // [B, T, D]
        Tensor h = Arithmetic.add(u, Linear.apply(attended.output(), parameters.get("attn.o.weight")));
        Tensor m = Norms.rmsNorm(h, parameters.get("mlp_norm.weight"), NORM_EPS);
        Tensor up = Activations.gelu(Linear.apply(m, parameters.get("mlp.up.weight"),
                parameters.get("mlp.up.bias")), "tanh");                                      // [B, T, M]
        Tensor next = Arithmetic.add(h, Linear.apply(up, parameters.get("mlp.down.weight"),
                parameters.get("mlp.down.bias")));
        return new Applied(next, attended.cache());
    }

    /**
     * {@code past} followed by the keys and values the chunk's states {@code s [B, T, D]} offer at depth step
     * {@code n}: the same ops as {@link CausalAttention} applies to them inside {@link #apply}.
     */
    private KvCache extend(KvCache past, Tensor s, int n, long start) {
        int batch = s.dim(0);
        int steps = s.dim(1);
        Tensor u = Arithmetic.add(s, CoordinateSignal.at(start, steps, config.width(), n));
        Tensor a = Norms.rmsNorm(u, parameters.get("attn_norm.weight"), NORM_EPS);
        Tensor k = Reshaping.permute(Reshaping.reshape(Linear.apply(a, parameters.get("attn.k.weight")), batch,
                steps, config.heads(), config.headDim()), 0, 2, 1, 3);                         // [B, H, T, hd]
        Tensor v = Reshaping.permute(Reshaping.reshape(Linear.apply(a, parameters.get("attn.v.weight")), batch,
                steps, config.heads(), config.headDim()), 0, 2, 1, 3);
        k = RotaryEmbedding.apply(k, attention.rotaryDims(), attention.ropeTheta(), start);
        if (past.keys().dim(2) == 0) {
            return new KvCache(k, v);
        }
        return new KvCache(Reshaping.concat(2, past.keys(), k), Reshaping.concat(2, past.values(), v));
    }
}
