package dev.recur.layers.rat;

import static dev.recur.core.ops.Activations.sigmoid;
import static dev.recur.core.ops.Arithmetic.add;
import static dev.recur.core.ops.Arithmetic.mul;
import static dev.recur.core.ops.Matmul.matmul;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A RAT layer (Wei, Yadav, Pascanu, Gulcehre, 2025, "RAT: Bridging RNN Efficiency and Attention Accuracy in
 * Language Modeling"): for {@code x_t [dModel]},
 * <pre>
 *   q_t = x_t W_q,  k_t = x_t W_k,  v_t = x_t W_v,  f_t = sigmoid(x_t W_f + b_f),  g_t = sigmoid(x_t W_g)
 *   o_t = RatMixer(q, k, v, f)_t       (in-chunk gated recurrence of k and v, attention across chunks)
 *   y_t = (g_t * o_t) W_o
 * </pre>
 * The forget gate is per channel with a bias and the output gate has none, as in the paper's layer. Not included
 * here: the paper's input norm and residual (the enclosing block's job), rotary embeddings on the chunk keys and
 * queries shared across head groups. Parameters use the {@code x W} layout: {@code wq, wk, wv, wf, wg [dModel, E]},
 * {@code bf [E]}, {@code wo [E, dModel]} with {@code E = heads * headDim}; weights start from
 * {@code N(0, 1 / fanIn)}; {@code bf} starts at {@code log u}, {@code u ~ U(1, L - 1)} (zero for {@code L <= 2}),
 * so that {@code f = u / (1 + u)} spreads memory over the chunk length. Composed of autograd ops and the diagonal
 * scan, so every parameter and the incoming state receive gradients.
 */
public final class RatLayer {
    private static final List<String> NAMES = List.of("wq", "wk", "wv", "wf", "bf", "wg", "wo");

    private final RatConfig config;
    private final Map<String, Tensor> params;

    /** A freshly initialised layer. */
    public RatLayer(RatConfig config, Rng rng) {
        if (config == null || rng == null) {
            throw new RecurException("RatLayer: config and rng are required");
        }
        this.config = config;
        this.params = new LinkedHashMap<>();
        int d = config.dModel();
        int e = config.innerDim();
        float inStd = (float) (1.0 / Math.sqrt(d));
        for (String name : NAMES) {
            Tensor t;
            if (name.equals("bf")) {
                t = forgetBias(config.chunkLen(), e, rng.split());
            } else if (name.equals("wo")) {
                t = Tensor.randn(rng.split(), (float) (1.0 / Math.sqrt(e)), e, d);
            } else {
                t = Tensor.randn(rng.split(), inStd, d, e);
            }
            params.put(name, t.requiresGrad(true));
        }
    }

    private RatLayer(RatConfig config, Map<String, Tensor> params) {
        this.config = config;
        this.params = params;
    }

    /** A layer over the given parameters (keys {@code wq, wk, wv, wf, bf, wg, wo}), used as they are. */
    public static RatLayer fromParameters(RatConfig config, Map<String, Tensor> parameters) {
        if (config == null || parameters == null) {
            throw new RecurException("RatLayer.fromParameters: config and parameters are required");
        }
        int d = config.dModel();
        int e = config.innerDim();
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (String name : NAMES) {
            Tensor t = parameters.get(name);
            if (t == null) {
                throw new RecurException("RatLayer.fromParameters: missing parameter '" + name + "', expected "
                        + NAMES);
            }
            int[] expected = name.equals("bf") ? new int[] {e} : name.equals("wo") ? new int[] {e, d}
                    : new int[] {d, e};
            Shapes.require("RatLayer", name, expected, t.shape());
            params.put(name, t);
        }
        if (parameters.size() != NAMES.size()) {
            throw new RecurException("RatLayer.fromParameters: expected exactly " + NAMES + ", got "
                    + parameters.keySet());
        }
        return new RatLayer(config, params);
    }

    public RatConfig config() {
        return config;
    }

    /** The parameters by name, in the order {@code wq, wk, wv, wf, bf, wg, wo}. */
    public Map<String, Tensor> parameters() {
        return Collections.unmodifiableMap(params);
    }

    /** The state before any token, for {@code batch} streams. */
    public RatState initialState(int batch) {
        return RatState.initial(config, batch);
    }

    /** Runs over {@code x [B, T, dModel]} from {@code state} (null: the stream's start); output {@code [B, T, dModel]}. */
    public RatOutput forward(Tensor x, RatState state) {
        if (x == null || x.rank() != 3 || x.dim(0) == 0 || x.dim(1) == 0 || x.dim(2) != config.dModel()) {
            throw new RecurException(label() + ": expected input [batch, seq, " + config.dModel()
                    + "] with batch, seq > 0, got " + (x == null ? "null" : Shapes.format(x.shape())));
        }
        Tensor q = matmul(x, params.get("wq"));
        Tensor k = matmul(x, params.get("wk"));
        Tensor v = matmul(x, params.get("wv"));
        Tensor f = sigmoid(add(matmul(x, params.get("wf")), params.get("bf")));
        Tensor g = sigmoid(matmul(x, params.get("wg")));
        RatMixer.Result mixed = RatMixer.forward(config, q, k, v, f, state);
        Tensor y = matmul(mul(g, mixed.output()), params.get("wo"));
        return new RatOutput(y, mixed.state());
    }

    /** One token {@code x [B, dModel]} from {@code state} (null: the stream's start); output {@code [B, dModel]}. */
    public RatOutput step(Tensor x, RatState state) {
        if (x == null || x.rank() != 2 || x.dim(0) == 0 || x.dim(1) != config.dModel()) {
            throw new RecurException(label() + ".step: expected input [batch, " + config.dModel()
                    + "] with batch > 0, got " + (x == null ? "null" : Shapes.format(x.shape())));
        }
        int batch = x.dim(0);
        RatOutput r = forward(Reshaping.reshape(x, batch, 1, config.dModel()), state);
        return new RatOutput(Reshaping.reshape(r.output(), batch, config.dModel()), r.state());
    }

    /** {@code log u} with {@code u ~ U(1, chunkLen - 1)}: forget gates start between 1/2 and {@code 1 - 1/L}. */
    private static Tensor forgetBias(int chunkLen, int channels, Rng rng) {
        if (chunkLen <= 2) {
            return Tensor.zeros(channels);
        }
        Tensor u = Tensor.uniform(rng, 1f, chunkLen - 1, channels);
        float[] b = new float[channels];
        for (int i = 0; i < channels; i++) {
            b[i] = (float) Math.log(u.data()[i]);
        }
        return Tensor.of(b, channels);
    }

    private String label() {
        return "RAT(dModel=" + config.dModel() + ", heads=" + config.heads() + ", headDim=" + config.headDim()
                + ", chunkLen=" + config.chunkLen() + ")";
    }
}
