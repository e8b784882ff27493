package dev.recur.layers.leaky;

import static dev.recur.core.ops.Activations.relu;
import static dev.recur.core.ops.Activations.softplus;
import static dev.recur.core.ops.Activations.tanh;
import static dev.recur.core.ops.Arithmetic.add;
import static dev.recur.core.ops.Arithmetic.mul;
import static dev.recur.core.ops.Arithmetic.pow;
import static dev.recur.core.ops.Arithmetic.sub;
import static dev.recur.core.ops.Matmul.matmul;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A leaky (continuous-time) RNN with a trainable time constant per neuron, as studied by Khajehabdollahi,
 * Zeraati, Giannakakis, Schäfer, Martius and Levina (2023), "Emergent mechanisms for long timescales depend on
 * training curriculum and affect performance in memory tasks": the Euler step of
 * {@code tau dh/dt = -h + f(W h + U x + b)},
 * <pre>
 *   h_t = (1 - 1/tau) * h_{t-1} + (1/tau) * f(h_{t-1} W + x_t U + b),
 *   tau = 1 + softplus(tau_raw),
 * </pre>
 * per neuron. The parameterisation keeps every {@code tau >= 1} (so {@code 1/tau} stays in {@code (0, 1]} and the
 * update is a convex mix of the old activity and the new drive) whatever the optimiser does to {@code tau_raw}.
 *
 * <p>Parameters ({@code x W} layout): {@code input_weight [I, H]} and {@code recurrent_weight [H, H]} uniform in
 * {@code ±1/sqrt(H)}, {@code bias [H]} at zero, {@code tau_raw [H]} at {@code softplus^-1(initialTau - 1)}.
 * Composed of autograd ops, so {@code tau_raw} trains with the weights.
 */
public final class LeakyRnnLayer {
    private final LeakyRnnConfig config;
    private final Map<String, Tensor> params;

    /** A freshly initialised layer, the weights drawn in name order from {@code rng}. */
    public LeakyRnnLayer(LeakyRnnConfig config, Rng rng) {
        if (config == null || rng == null) {
            throw new RecurException("LeakyRnnLayer: config and rng are required");
        }
        this.config = config;
        this.params = new LinkedHashMap<>();
        int h = config.hiddenSize();
        float bound = (float) (1.0 / Math.sqrt(h));
        params.put("input_weight", Tensor.uniform(rng, -bound, bound, config.inputSize(), h));
        params.put("recurrent_weight", Tensor.uniform(rng, -bound, bound, h, h));
        params.put("bias", Tensor.zeros(h));
        float raw = (float) Math.log(Math.expm1(config.initialTau() - 1.0));
        params.put("tau_raw", Tensor.full(raw, h));
        params.values().forEach(p -> p.requiresGrad(true));
    }

    private LeakyRnnLayer(LeakyRnnConfig config, Map<String, Tensor> params) {
        this.config = config;
        this.params = params;
    }

    /**
     * A layer over the given tensors, used as they are (not copied): {@code input_weight [I, H]},
     * {@code recurrent_weight [H, H]}, {@code bias [H]}, {@code tau_raw [H]}.
     */
    public static LeakyRnnLayer fromParameters(LeakyRnnConfig config, Tensor inputWeight, Tensor recurrentWeight,
                                               Tensor bias, Tensor tauRaw) {
        if (config == null || inputWeight == null || recurrentWeight == null || bias == null || tauRaw == null) {
            throw new RecurException("LeakyRnnLayer.fromParameters: config and all four tensors are required");
        }
        int h = config.hiddenSize();
        Shapes.require("LeakyRnnLayer", "input_weight", new int[] {config.inputSize(), h}, inputWeight.shape());
        Shapes.require("LeakyRnnLayer", "recurrent_weight", new int[] {h, h}, recurrentWeight.shape());
        Shapes.require("LeakyRnnLayer", "bias", new int[] {h}, bias.shape());
        Shapes.require("LeakyRnnLayer", "tau_raw", new int[] {h}, tauRaw.shape());
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("input_weight", inputWeight);
        params.put("recurrent_weight", recurrentWeight);
        params.put("bias", bias);
        params.put("tau_raw", tauRaw);
        return new LeakyRnnLayer(config, params);
    }

    public LeakyRnnConfig config() {
        return config;
    }

    /** The parameters by name, in order. */
    public Map<String, Tensor> parameters() {
        return Collections.unmodifiableMap(params);
    }

    /** The current time constants {@code 1 + softplus(tau_raw)}, one per neuron (each at least 1). */
    public float[] taus() {
        float[] raw = params.get("tau_raw").data();
        float[] taus = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            // log1p(e^r) overflows for large r, where softplus(r) = r to double precision.
            double sp = raw[i] > 30 ? raw[i] : Math.log1p(Math.exp(raw[i]));
            taus[i] = (float) (1.0 + sp);
        }
        return taus;
    }

    /**
     * Writes the time constants as CSV: a header {@code neuron,tau}, then one row per neuron with its index and
     * tau (shortest decimal that reads back to the same float).
     */
    public void writeTausCsv(Path path) throws IOException {
        if (path == null) {
            throw new RecurException("LeakyRnnLayer.writeTausCsv: a path is required");
        }
        float[] taus = taus();
        StringBuilder sb = new StringBuilder("neuron,tau\n");
        for (int i = 0; i < taus.length; i++) {
            sb.append(i).append(',').append(taus[i]).append('\n');
        }
        Files.writeString(path, sb, StandardCharsets.UTF_8);
    }

    /** A zero state for {@code batch} sequences. */
    public LeakyRnnState initialState(int batch) {
        return LeakyRnnState.zeros(batch, config.hiddenSize());
    }

    /** Runs over {@code x [B, T, I]} from {@code state} (null for zeros); output {@code [B, T, H]}. */
    public LeakyRnnOutput forward(Tensor x, LeakyRnnState state) {
        if (x == null || x.rank() != 3 || x.dim(2) != config.inputSize() || x.dim(0) == 0 || x.dim(1) == 0) {
            throw new RecurException(label() + ": expected input [batch, seq, " + config.inputSize()
                    + "] with batch, seq > 0, got " + (x == null ? "null" : Shapes.format(x.shape())));
        }
        int batch = x.dim(0);
        int steps = x.dim(1);
        int hidden = config.hiddenSize();
        Tensor h = initial(state, batch);
        Tensor alpha = alpha();
        // The input drive of every timestep in one GEMM: [B, T, H].
        Tensor drive = add(matmul(x, params.get("input_weight")), params.get("bias"));
        List<Tensor> outputs = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            Tensor dt = Reshaping.reshape(Reshaping.slice(drive, 1, t, t + 1), batch, hidden);
            h = update(h, dt, alpha);
            outputs.add(Reshaping.unsqueeze(h, 1));
        }
        Tensor y = steps == 1 ? outputs.get(0) : Reshaping.concat(1, outputs.toArray(new Tensor[0]));
        return new LeakyRnnOutput(y, new LeakyRnnState(h));
    }

    /** One token {@code x [B, I]} from {@code state} (null for zeros); output {@code [B, H]}. */
    public LeakyRnnOutput step(Tensor x, LeakyRnnState state) {
        if (x == null || x.rank() != 2 || x.dim(1) != config.inputSize() || x.dim(0) == 0) {
            throw new RecurException(label() + ".step: expected input [batch, " + config.inputSize()
                    + "] with batch > 0, got " + (x == null ? "null" : Shapes.format(x.shape())));
        }
        Tensor drive = add(matmul(x, params.get("input_weight")), params.get("bias"));
        Tensor h = update(initial(state, x.dim(0)), drive, alpha());
        return new LeakyRnnOutput(h, new LeakyRnnState(h));
    }

    /** {@code 1/tau [H]}, differentiable with respect to {@code tau_raw}. */
    private Tensor alpha() {
        return pow(add(softplus(params.get("tau_raw")), 1f), -1f);
    }

    private Tensor update(Tensor h, Tensor drive, Tensor alpha) {
        Tensor pre = add(matmul(h, params.get("recurrent_weight")), drive);
        Tensor target = config.activation() == LeakyActivation.TANH ? tanh(pre) : relu(pre);
        // (1 - a) h + a f(.), written as h + a (f(.) - h).
        return add(h, mul(alpha, sub(target, h)));
    }

    private Tensor initial(LeakyRnnState state, int batch) {
        if (state == null) {
            return Tensor.zeros(batch, config.hiddenSize());
        }
        Shapes.require(label(), "state h", new int[] {batch, config.hiddenSize()}, state.h().shape());
        return state.h();
    }

    private String label() {
        return "LeakyRNN(" + config.inputSize() + ", " + config.hiddenSize() + ")";
    }
}
