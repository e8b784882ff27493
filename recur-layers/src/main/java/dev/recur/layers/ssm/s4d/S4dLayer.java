package dev.recur.layers.ssm.s4d;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Reductions;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * S4D, the diagonal structured state-space layer (Gu, Gupta, Goel and Re 2022, "On the Parameterization and
 * Initialization of Diagonal State Space Models"), over {@code u [B, T, H]}: each channel h runs
 * <pre>
 *   x_t = Abar x_{t-1} + Bbar u_t        (x_t in C^M, Abar = diag, M = N/2 complex modes)
 *   y_t = 2 Re(C x_t) + D u_t
 * </pre>
 * with {@code A = -exp(logNegARe) + i aIm}, timescale {@code dt = exp(logDt)}, {@code Abar, Bbar} from
 * {@link Discretization}. Complex numbers are pairs of real tensors. Trained: {@code log_dt [H]},
 * {@code log_neg_a_real, a_imag, c_real, c_imag [H, M]}, {@code d [H]}; {@code B} is fixed at its
 * initialisation ({@link S4dInit}).
 *
 * <p>{@link #forward} is the convolution mode: the kernel {@code K[l] = 2 Re(sum_m C_m Bbar_m Abar_m^l)}
 * ({@link Vandermonde}) applied by {@link FftConvolution}, plus the free response of the initial state,
 * {@code 2 Re(sum_m C_m Abar_m^(t+1) x_m)}. Gradients reach every parameter, the input and the initial state;
 * the returned final state ({@link FinalState}, the recurrence in double) is differentiable too, so gradients
 * cross chunk boundaries unless the state is detached. {@link #step} is the recurrent mode, composed of autograd ops, so it is differentiable
 * through the state; with grad mode off it runs as plain loops in double.
 */
public final class S4dLayer {
    private final S4dConfig config;
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Tensor bRe; // [H, M]
    private final Tensor bIm; // [H, M]
    private volatile DiscreteCache cache;

    private record DiscreteCache(float[][] key, Tensor[] value) {}

    /** A layer with its parameters drawn from {@code rng}: dt log-uniform, C complex normal (variance 1/2 per part), D standard normal. */
    public S4dLayer(S4dConfig config, Rng rng) {
        this.config = config;
        int h = config.channels();
        int m = config.modes();
        HippoDiagonal.Modes modes = HippoDiagonal.modes(config.init(), config.stateSize());
        float[] logNeg = new float[h * m];
        float[] aIm = new float[h * m];
        float[] br = new float[h * m];
        float[] bi = new float[h * m];
        for (int c = 0; c < h; c++) {
            for (int n = 0; n < m; n++) {
                logNeg[c * m + n] = (float) Math.log(-modes.aRe()[n]);
                aIm[c * m + n] = (float) modes.aIm()[n];
                br[c * m + n] = (float) modes.bRe()[n];
                bi[c * m + n] = (float) modes.bIm()[n];
            }
        }
        float[] logDt = new float[h];
        double lo = Math.log(config.dtMin());
        double hi = Math.log(config.dtMax());
        Rng dtRng = rng.derive(1);
        for (int c = 0; c < h; c++) {
            logDt[c] = (float) (lo + (hi - lo) * dtRng.nextDouble());
        }
        parameters.put("log_dt", Tensor.of(logDt, h).requiresGrad(true));
        parameters.put("log_neg_a_real", Tensor.of(logNeg, h, m).requiresGrad(true));
        parameters.put("a_imag", Tensor.of(aIm, h, m).requiresGrad(true));
        parameters.put("c_real", Tensor.randn(rng.derive(2), (float) Math.sqrt(0.5), h, m).requiresGrad(true));
        parameters.put("c_imag", Tensor.randn(rng.derive(3), (float) Math.sqrt(0.5), h, m).requiresGrad(true));
        parameters.put("d", Tensor.randn(rng.derive(4), 1f, h).requiresGrad(true));
        this.bRe = Tensor.of(br, h, m);
        this.bIm = Tensor.of(bi, h, m);
    }

    /**
     * A layer over given tensors (shared, not copied): {@code parameters} holds every name of
     * {@link #parameters()} with its shape; {@code bRe, bIm [H, M]} the fixed input vector.
     */
    public S4dLayer(S4dConfig config, Map<String, Tensor> parameters, Tensor bRe, Tensor bIm) {
        this.config = config;
        int h = config.channels();
        int m = config.modes();
        int[][] shapes = {{h}, {h, m}, {h, m}, {h, m}, {h, m}, {h}};
        String[] names = {"log_dt", "log_neg_a_real", "a_imag", "c_real", "c_imag", "d"};
        for (int i = 0; i < names.length; i++) {
            Tensor t = parameters.get(names[i]);
            if (t == null) {
                throw new RecurException("S4dLayer: missing parameter " + names[i] + " " + Shapes.format(shapes[i]));
            }
            Shapes.require("S4dLayer", names[i], shapes[i], t.shape());
            this.parameters.put(names[i], t);
        }
        if (parameters.size() != names.length) {
            throw new RecurException("S4dLayer: expected exactly the parameters " + this.parameters.keySet()
                    + ", got " + parameters.keySet());
        }
        Shapes.require("S4dLayer", "bRe", new int[] {h, m}, bRe.shape());
        Shapes.require("S4dLayer", "bIm", new int[] {h, m}, bIm.shape());
        this.bRe = bRe;
        this.bIm = bIm;
    }

    public S4dConfig config() {
        return config;
    }

    /** The trained parameters by name, in a fixed order (live tensors: an optimiser updates their data). */
    public Map<String, Tensor> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** One parameter by name. */
    public Tensor parameter(String name) {
        Tensor t = parameters.get(name);
        if (t == null) {
            throw new RecurException("S4dLayer: no parameter " + name + "; expected one of " + parameters.keySet());
        }
        return t;
    }

    /** The fixed input vector {@code B} as {@code {re, im}}, each {@code [H, M]}. */
    public Tensor[] inputVector() {
        return new Tensor[] {bRe, bIm};
    }

    public S4dState initialState(int batch) {
        return S4dState.zeros(batch, config.channels(), config.modes());
    }

    /** {@code {abarRe, abarIm, bbarRe, bbarIm}}, each {@code [H, M]}, differentiable in the parameters. */
    public Tensor[] discretize() {
        return S4dDiscretize.apply(config.discretization(), parameter("log_dt"), parameter("log_neg_a_real"),
                parameter("a_imag"), bRe, bIm);
    }

    /** The convolution kernel {@code K [H, length]}. */
    public Tensor kernel(int length) {
        Tensor[] d = discretize();
        Tensor[] w = Complex.mul(parameter("c_real"), parameter("c_imag"), d[2], d[3]);
        return Vandermonde.apply(w[0], w[1], d[0], d[1], length);
    }

    /** Convolution mode over {@code u [B, T, H]} from {@code state}; returns {@code y [B, T, H]} and the final state. */
    public S4dOutput forward(Tensor u, S4dState state) {
        int channels = config.channels();
        if (u.rank() != 3 || u.dim(2) != channels || u.dim(1) == 0) {
            throw new RecurException("S4dLayer.forward: expected u [B, T>0, " + channels + "], got "
                    + Shapes.format(u.shape()));
        }
        int batch = u.dim(0);
        int steps = u.dim(1);
        requireState("forward", state, batch);
        Tensor[] d = discretize();
        Tensor cRe = parameter("c_real");
        Tensor cIm = parameter("c_imag");
        Tensor[] w = Complex.mul(cRe, cIm, d[2], d[3]);
        Tensor k = Vandermonde.apply(w[0], w[1], d[0], d[1], steps); // [H, T]
        Tensor y = Arithmetic.add(FftConvolution.causal(u, k), Arithmetic.mul(u, parameter("d")));
        if (!state.isZero() || state.re().tracksGrad() || state.im().tracksGrad()) {
            Tensor[] cz = Complex.mul(cRe, cIm, d[0], d[1]);
            Tensor[] free = Complex.mul(cz[0], cz[1], state.re(), state.im()); // [B, H, M]
            Tensor response = Vandermonde.apply(free[0], free[1], d[0], d[1], steps); // [B, H, T]
            y = Arithmetic.add(y, Reshaping.permute(response, 0, 2, 1));
        }
        Tensor[] last = FinalState.apply(u, d[0], d[1], d[2], d[3], state.re(), state.im());
        return new S4dOutput(y, new S4dState(last[0], last[1]));
    }

    /** Recurrent mode: one token {@code u [B, H]} from {@code state}; returns {@code y [B, H]} and the next state. */
    public S4dOutput step(Tensor u, S4dState state) {
        int channels = config.channels();
        if (u.rank() != 2 || u.dim(1) != channels) {
            throw new RecurException("S4dLayer.step: expected u [B, " + channels + "], got " + Shapes.format(u.shape()));
        }
        requireState("step", state, u.dim(0));
        if (!GradMode.isEnabled()) {
            return stepWithoutGrad(u, state, discretizeCached());
        }
        Tensor[] d = discretize();
        Tensor input = Reshaping.unsqueeze(u, 2); // [B, H, 1]
        Tensor[] carried = Complex.mul(d[0], d[1], state.re(), state.im());
        Tensor re = Arithmetic.add(carried[0], Arithmetic.mul(d[2], input));
        Tensor im = Arithmetic.add(carried[1], Arithmetic.mul(d[3], input));
        Tensor[] read = Complex.mul(parameter("c_real"), parameter("c_imag"), re, im);
        Tensor y = Arithmetic.mul(Reductions.sum(read[0], 2, false), 2f);
        y = Arithmetic.add(y, Arithmetic.mul(u, parameter("d")));
        return new S4dOutput(y, new S4dState(re, im));
    }

    /**
     * {@link #discretize()} without gradient, reused while the parameters it reads hold the same values (an
     * optimiser updates them in place, so the values themselves are the key).
     */
    private Tensor[] discretizeCached() {
        float[][] key = {parameter("log_dt").data(), parameter("log_neg_a_real").data(), parameter("a_imag").data()};
        DiscreteCache c = cache;
        if (c != null && Arrays.equals(c.key[0], key[0]) && Arrays.equals(c.key[1], key[1])
                && Arrays.equals(c.key[2], key[2])) {
            return c.value;
        }
        Tensor[] value = discretize();
        cache = new DiscreteCache(new float[][] {key[0].clone(), key[1].clone(), key[2].clone()}, value);
        return value;
    }

    /** The same step as plain loops in double over {@code [B, H, M]}, when no gradient is recorded. */
    private S4dOutput stepWithoutGrad(Tensor u, S4dState state, Tensor[] d) {
        int batch = u.dim(0);
        int channels = config.channels();
        int modes = config.modes();
        float[] zr = d[0].data();
        float[] zi = d[1].data();
        float[] br = d[2].data();
        float[] bi = d[3].data();
        float[] cr = parameter("c_real").data();
        float[] ci = parameter("c_imag").data();
        float[] skip = parameter("d").data();
        float[] sr = state.re().data();
        float[] si = state.im().data();
        float[] us = u.data();
        float[] y = new float[batch * channels];
        float[] nextRe = new float[sr.length];
        float[] nextIm = new float[si.length];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < channels; h++) {
                double v = us[b * channels + h];
                double acc = 0;
                for (int m = 0; m < modes; m++) {
                    int p = h * modes + m;
                    int s = (b * channels + h) * modes + m;
                    double xr = zr[p] * (double) sr[s] - zi[p] * (double) si[s] + br[p] * v;
                    double xi = zr[p] * (double) si[s] + zi[p] * (double) sr[s] + bi[p] * v;
                    nextRe[s] = (float) xr;
                    nextIm[s] = (float) xi;
                    acc += cr[p] * xr - ci[p] * xi;
                }
                y[b * channels + h] = (float) (2 * acc + skip[h] * v);
            }
        }
        return new S4dOutput(Tensor.of(y, batch, channels),
                new S4dState(Tensor.of(nextRe, batch, channels, modes), Tensor.of(nextIm, batch, channels, modes)));
    }

    private void requireState(String where, S4dState state, int batch) {
        if (state == null) {
            throw new RecurException("S4dLayer." + where + ": state is required (use initialState(batch))");
        }
        Shapes.require("S4dLayer." + where, "state", new int[] {batch, config.channels(), config.modes()},
                state.re().shape());
    }
}
