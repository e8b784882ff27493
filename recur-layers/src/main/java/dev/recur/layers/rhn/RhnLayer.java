package dev.recur.layers.rhn;

import static dev.recur.core.ops.Activations.sigmoid;
import static dev.recur.core.ops.Activations.tanh;
import static dev.recur.core.ops.Arithmetic.add;
import static dev.recur.core.ops.Arithmetic.mul;
import static dev.recur.core.ops.Arithmetic.sub;
import static dev.recur.core.ops.Matmul.matmul;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Norms;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recurrent highway network layer (Zilly, Srivastava, Koutník and Schmidhuber, 2017, "Recurrent Highway
 * Networks", eq. 6-8): each token runs {@code L} highway micro-steps, the input entering the first only.
 * With {@code s_0 = s_L} of the previous token and {@code l = 1..L}:
 * <pre>
 *   h_l = tanh(  [l = 1] x W_H + s_{l-1} R_{H,l} + b_{H,l})
 *   t_l = sigmoid([l = 1] x W_T + s_{l-1} R_{T,l} + b_{T,l})
 *   s_l = h_l * t_l + s_{l-1} * c_l,   with the coupled carry gate c_l = 1 - t_l
 * </pre>
 * and the output at each token is {@code s_L}. With {@link RhnConfig#layerNorm()} the recurrent term
 * {@code s_{l-1} R_l} is layer-normalised (gain and shift per micro-step) before the bias is added.
 *
 * <p>Parameters (row-major, {@code x W} layout; the {@code [.., 2H]} columns hold the H block then the T block):
 * {@code input_weight [I, 2H]}, and for each micro-step {@code l = 0..L-1}: {@code recurrent_weight.l [H, 2H]},
 * {@code bias.l [2H]}, and with layer norm {@code norm_weight.l [2H]}, {@code norm_bias.l [2H]}. Weights start
 * uniform in {@code ±1/sqrt(H)}, the H biases at 0 and the T biases at {@link RhnConfig#transformBias()}.
 *
 * <p>The layer is composed of autograd ops, so its gradient is the chain of their checked derivatives.
 */
public final class RhnLayer {
    private static final float NORM_EPS = 1e-5f;

    private final RhnConfig config;
    private final Map<String, Tensor> params;

    /** A freshly initialised layer, every parameter drawn in name order from {@code rng}. */
    public RhnLayer(RhnConfig config, Rng rng) {
        if (config == null || rng == null) {
            throw new RecurException("RhnLayer: config and rng are required");
        }
        this.config = config;
        this.params = new LinkedHashMap<>();
        int h = config.hiddenSize();
        float bound = (float) (1.0 / Math.sqrt(h));
        params.put("input_weight", Tensor.uniform(rng, -bound, bound, config.inputSize(), 2 * h));
        for (int l = 0; l < config.depth(); l++) {
            params.put("recurrent_weight." + l, Tensor.uniform(rng, -bound, bound, h, 2 * h));
            float[] bias = new float[2 * h];
            Arrays.fill(bias, h, 2 * h, config.transformBias());
            params.put("bias." + l, Tensor.of(bias, 2 * h));
            if (config.layerNorm()) {
                params.put("norm_weight." + l, Tensor.full(1f, 2 * h));
                params.put("norm_bias." + l, Tensor.zeros(2 * h));
            }
        }
        params.values().forEach(p -> p.requiresGrad(true));
    }

    private RhnLayer(RhnConfig config, Map<String, Tensor> params) {
        this.config = config;
        this.params = params;
    }

    /**
     * A layer over the given tensors, used as they are (not copied): the names and shapes must be exactly those
     * of {@link #parameterShapes(RhnConfig)}.
     */
    public static RhnLayer fromParameters(RhnConfig config, Map<String, Tensor> tensors) {
        if (config == null || tensors == null) {
            throw new RecurException("RhnLayer.fromParameters: config and tensors are required");
        }
        Map<String, int[]> shapes = parameterShapes(config);
        for (String name : tensors.keySet()) {
            if (!shapes.containsKey(name)) {
                throw new RecurException("RhnLayer: unexpected parameter '" + name + "'; expected " + shapes.keySet());
            }
        }
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            Tensor t = tensors.get(e.getKey());
            if (t == null) {
                throw new RecurException("RhnLayer: missing parameter '" + e.getKey() + "' of shape "
                        + Shapes.format(e.getValue()));
            }
            Shapes.require("RhnLayer", "parameter '" + e.getKey() + "'", e.getValue(), t.shape());
            params.put(e.getKey(), t);
        }
        return new RhnLayer(config, params);
    }

    /** The parameter names of a config, in order, with their shapes. */
    public static Map<String, int[]> parameterShapes(RhnConfig config) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        int h = config.hiddenSize();
        shapes.put("input_weight", new int[] {config.inputSize(), 2 * h});
        for (int l = 0; l < config.depth(); l++) {
            shapes.put("recurrent_weight." + l, new int[] {h, 2 * h});
            shapes.put("bias." + l, new int[] {2 * h});
            if (config.layerNorm()) {
                shapes.put("norm_weight." + l, new int[] {2 * h});
                shapes.put("norm_bias." + l, new int[] {2 * h});
            }
        }
        return shapes;
    }

    public RhnConfig config() {
        return config;
    }

    /** The parameters by name, in order. */
    public Map<String, Tensor> parameters() {
        return Collections.unmodifiableMap(params);
    }

    /** A zero state for {@code batch} sequences. */
    public RhnState initialState(int batch) {
        return RhnState.zeros(batch, config.hiddenSize());
    }

    /** Runs over {@code x [B, T, I]} from {@code state} (null for zeros); output {@code [B, T, H]}. */
    public RhnOutput forward(Tensor x, RhnState state) {
        if (x == null || x.rank() != 3 || x.dim(2) != config.inputSize() || x.dim(0) == 0 || x.dim(1) == 0) {
            throw new RecurException(label() + ": expected input [batch, seq, " + config.inputSize()
                    + "] with batch, seq > 0, got " + (x == null ? "null" : Shapes.format(x.shape())));
        }
        int batch = x.dim(0);
        int steps = x.dim(1);
        Tensor s = initial(state, batch);
        // One GEMM for the input term of every token: [B, T, 2H].
        Tensor xw = matmul(x, params.get("input_weight"));
        List<Tensor> outputs = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            Tensor xt = Reshaping.reshape(Reshaping.slice(xw, 1, t, t + 1), batch, 2 * config.hiddenSize());
            s = token(xt, s);
            outputs.add(Reshaping.unsqueeze(s, 1));
        }
        Tensor y = steps == 1 ? outputs.get(0) : Reshaping.concat(1, outputs.toArray(new Tensor[0]));
        return new RhnOutput(y, new RhnState(s));
    }

    /** One token {@code x [B, I]} from {@code state} (null for zeros); output {@code [B, H]}. */
    public RhnOutput step(Tensor x, RhnState state) {
        if (x == null || x.rank() != 2 || x.dim(1) != config.inputSize() || x.dim(0) == 0) {
            throw new RecurException(label() + ".step: expected input [batch, " + config.inputSize()
                    + "] with batch > 0, got " + (x == null ? "null" : Shapes.format(x.shape())));
        }
        Tensor s = token(matmul(x, params.get("input_weight")), initial(state, x.dim(0)));
        return new RhnOutput(s, new RhnState(s));
    }

    /** The L micro-steps of one token; {@code xw [B, 2H]} is the input term, {@code s [B, H]} the state. */
    private Tensor token(Tensor xw, Tensor s) {
        int h = config.hiddenSize();
        for (int l = 0; l < config.depth(); l++) {
            Tensor rec = matmul(s, params.get("recurrent_weight." + l)); // [B, 2H]
            if (config.layerNorm()) {
                rec = Norms.layerNorm(rec, params.get("norm_weight." + l), params.get("norm_bias." + l), NORM_EPS);
            }
            Tensor pre = add(rec, params.get("bias." + l));
            if (l == 0) {
                pre = add(pre, xw);
            }
            List<Tensor> parts = Reshaping.split(pre, 1, h, h);
            Tensor candidate = tanh(parts.get(0));
            Tensor transform = sigmoid(parts.get(1));
            // h t + s (1 - t), written as s + t (h - s).
            s = add(s, mul(transform, sub(candidate, s)));
        }
        return s;
    }

    private Tensor initial(RhnState state, int batch) {
        if (state == null) {
            return Tensor.zeros(batch, config.hiddenSize());
        }
        Shapes.require(label(), "state s", new int[] {batch, config.hiddenSize()}, state.s().shape());
        return state.s();
    }

    private String label() {
        return "RHN(" + config.inputSize() + ", " + config.hiddenSize() + ", depth " + config.depth() + ")";
    }
}
