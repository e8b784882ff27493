package dev.recur.layers.reservoir;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An echo state network (Jaeger, 2001, "The 'echo state' approach to analysing and training recurrent neural
 * networks"; Lukoševičius, 2012, "A Practical Guide to Applying Echo State Networks"): a fixed random
 * {@link Reservoir} driven by the input, and a linear readout on {@code z(n) = [1; u(n); x(n)]} (eq. 4):
 * {@code y(n) = W_out z(n)}, {@code W_out [O, 1+I+N]}. Only the readout is trained, in closed form by ridge
 * regression ({@link #fitRidge}: {@code W_out = Y Z^T (Z Z^T + beta I)^-1}, eq. 9, solved in double by Cholesky)
 * or online by recursive least squares ({@link #fitRls}). States of the first {@code washout} steps of each
 * sequence are left out of the fit, so that the arbitrary zero initial state is forgotten.
 *
 * <p>All reservoir arithmetic accumulates in double and rounds the state to float once per step, so the same
 * inputs give the same bits; {@link #save(Path)} and {@link #load(Path)} keep every weight exactly.
 */
public final class EchoStateNetwork {
    private final EsnConfig config;
    private final Reservoir reservoir;
    private float[] readout; // [O, F], null until fitted

    /** A network with a reservoir drawn from the config's seed and no readout yet. */
    public EchoStateNetwork(EsnConfig config) {
        this(config, Reservoir.generate(requireConfig(config)), null);
    }

    /** A network from its parts (as loaded from a file); {@code readout [O, 1+I+N]} may be null. */
    public EchoStateNetwork(EsnConfig config, Reservoir reservoir, float[] readout) {
        requireConfig(config);
        if (reservoir == null || reservoir.size() != config.reservoirSize()
                || reservoir.inputSize() != config.inputSize() || reservoir.leakRate() != config.leakRate()) {
            throw new RecurException("EchoStateNetwork: the reservoir does not match the config (" + config.reservoirSize()
                    + " units, " + config.inputSize() + " inputs, leak rate " + config.leakRate() + ")");
        }
        if (readout != null && readout.length != (long) config.outputSize() * config.featureSize()) {
            throw new RecurException("EchoStateNetwork: expected a readout [" + config.outputSize() + ", "
                    + config.featureSize() + "], got " + readout.length + " values");
        }
        this.config = config;
        this.reservoir = reservoir;
        this.readout = readout == null ? null : readout.clone();
    }

    private static EsnConfig requireConfig(EsnConfig config) {
        if (config == null) {
            throw new RecurException("EchoStateNetwork: a config is required");
        }
        return config;
    }

    public EsnConfig config() {
        return config;
    }

    public Reservoir reservoir() {
        return reservoir;
    }

    public boolean isFitted() {
        return readout != null;
    }

    /** The readout {@code W_out [O, 1+I+N]} (a copy), or null before a fit. */
    public Tensor readout() {
        return readout == null ? null : Tensor.of(readout.clone(), config.outputSize(), config.featureSize());
    }

    /** A zero reservoir state for {@code batch} sequences. */
    public EsnState initialState(int batch) {
        return EsnState.zeros(batch, config.reservoirSize());
    }

    /** The reservoir states {@code x(n)} for {@code u [B, T, I]} from {@code state} (null for zeros): {@code [B, T, N]}. */
    public Tensor states(Tensor u, EsnState state) {
        checkSequence("states", u, config.inputSize(), "input");
        return Tensor.of(run(u, state), u.dim(0), u.dim(1), config.reservoirSize());
    }

    /** Runs the reservoir and the readout over {@code u [B, T, I]} from {@code state} (null for zeros). */
    public EsnOutput forward(Tensor u, EsnState state) {
        requireFitted("forward");
        checkSequence("forward", u, config.inputSize(), "input");
        int batch = u.dim(0);
        int steps = u.dim(1);
        int n = config.reservoirSize();
        float[] x = run(u, state);
        float[] y = new float[batch * steps * config.outputSize()];
        for (int r = 0; r < batch * steps; r++) {
            readoutRow(u.data(), r * config.inputSize(), x, r * n, y, r * config.outputSize());
        }
        float[] last = new float[batch * n];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(x, ((b + 1) * steps - 1) * n, last, b * n, n);
        }
        return new EsnOutput(Tensor.of(y, batch, steps, config.outputSize()),
                new EsnState(Tensor.of(last, batch, n)));
    }

    /** One timestep {@code u [B, I]} from {@code state} (null for zeros); output {@code [B, O]}. */
    public EsnOutput step(Tensor u, EsnState state) {
        requireFitted("step");
        if (u == null || u.rank() != 2 || u.dim(1) != config.inputSize() || u.dim(0) == 0) {
            throw new RecurException(label() + ".step: expected input [batch, " + config.inputSize()
                    + "] with batch > 0, got " + (u == null ? "null" : Shapes.format(u.shape())));
        }
        int batch = u.dim(0);
        int n = config.reservoirSize();
        float[] x0 = initial(state, batch);
        float[] x = new float[batch * n];
        float[] y = new float[batch * config.outputSize()];
        double[] pre = new double[n];
        for (int b = 0; b < batch; b++) {
            reservoir.update(u.data(), b * config.inputSize(), x0, b * n, x, b * n, pre);
            readoutRow(u.data(), b * config.inputSize(), x, b * n, y, b * config.outputSize());
        }
        return new EsnOutput(Tensor.of(y, batch, config.outputSize()), new EsnState(Tensor.of(x, batch, n)));
    }

    /**
     * Fits the readout by ridge regression on the states that {@code u [B, T, I]} drives from a zero state,
     * against {@code targets [B, T, O]}, skipping the first {@code washout} steps of each sequence:
     * {@code W_out = Y Z^T (Z Z^T + ridge I)^-1}, accumulated and solved in double.
     */
    public void fitRidge(Tensor u, Tensor targets, int washout, double ridge) {
        if (!(ridge >= 0) || Double.isInfinite(ridge)) {
            throw new RecurException(label() + ".fitRidge: ridge must be finite and >= 0, got " + ridge);
        }
        checkFit("fitRidge", u, targets, washout);
        int f = config.featureSize();
        int o = config.outputSize();
        double[] zzt = new double[f * f];
        double[] zyt = new double[f * o];
        double[] z = new double[f];
        forEachSample(u, targets, washout, (zs, ys) -> {
            for (int i = 0; i < f; i++) {
                double zi = zs[i];
                for (int j = 0; j <= i; j++) {
                    zzt[i * f + j] += zi * zs[j];
                }
                for (int k = 0; k < o; k++) {
                    zyt[i * o + k] += zi * ys[k];
                }
            }
        }, z);
        for (int i = 0; i < f; i++) {
            zzt[i * f + i] += ridge;
        }
        double[] wt = Cholesky.solve(zzt, zyt, f, o); // W_out^T [F, O]
        float[] w = new float[o * f];
        for (int i = 0; i < f; i++) {
            for (int k = 0; k < o; k++) {
                w[k * f + i] = (float) wt[i * o + k];
            }
        }
        readout = w;
    }

    /**
     * Fits the readout online by recursive least squares over the same samples as {@link #fitRidge}, in order
     * (sequence by sequence, step by step), with forgetting factor {@code forgetting} and {@code P(0) = I/delta}.
     */
    public void fitRls(Tensor u, Tensor targets, int washout, double forgetting, double delta) {
        RecursiveLeastSquares rls = new RecursiveLeastSquares(config.featureSize(), config.outputSize(), forgetting,
                delta);
        checkFit("fitRls", u, targets, washout);
        forEachSample(u, targets, washout, rls::update, new double[config.featureSize()]);
        double[] w = rls.weights();
        float[] out = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = (float) w[i];
        }
        readout = out;
    }

    /** Writes {@code esn.json} and {@code esn.safetensors} into {@code dir} (created if needed). */
    public void save(Path dir) throws IOException {
        EsnFiles.save(this, dir);
    }

    /** Reads a network written by {@link #save(Path)}, checking every field, name and shape. */
    public static EchoStateNetwork load(Path dir) throws IOException {
        return EsnFiles.load(dir);
    }

    private interface SampleSink {
        void accept(double[] z, double[] y);
    }

    private void forEachSample(Tensor u, Tensor targets, int washout, SampleSink sink, double[] z) {
        int batch = u.dim(0);
        int steps = u.dim(1);
        int in = config.inputSize();
        int n = config.reservoirSize();
        int o = config.outputSize();
        float[] x = run(u, null);
        double[] y = new double[o];
        for (int b = 0; b < batch; b++) {
            for (int t = washout; t < steps; t++) {
                int r = b * steps + t;
                z[0] = 1;
                for (int j = 0; j < in; j++) {
                    z[1 + j] = u.data()[r * in + j];
                }
                for (int j = 0; j < n; j++) {
                    z[1 + in + j] = x[r * n + j];
                }
                for (int k = 0; k < o; k++) {
                    y[k] = targets.data()[r * o + k];
                }
                sink.accept(z, y);
            }
        }
    }

    /** Reservoir states [B, T, N] for u [B, T, I]. */
    private float[] run(Tensor u, EsnState state) {
        int batch = u.dim(0);
        int steps = u.dim(1);
        int in = config.inputSize();
        int n = config.reservoirSize();
        float[] x0 = initial(state, batch);
        float[] x = new float[batch * steps * n];
        double[] pre = new double[n];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                int r = b * steps + t;
                float[] prev = t == 0 ? x0 : x;
                int prevOff = t == 0 ? b * n : (r - 1) * n;
                reservoir.update(u.data(), r * in, prev, prevOff, x, r * n, pre);
            }
        }
        return x;
    }

    private void readoutRow(float[] u, int uOff, float[] x, int xOff, float[] y, int yOff) {
        int f = config.featureSize();
        int in = config.inputSize();
        int n = config.reservoirSize();
        for (int k = 0; k < config.outputSize(); k++) {
            int row = k * f;
            double acc = readout[row];
            for (int j = 0; j < in; j++) {
                acc += readout[row + 1 + j] * (double) u[uOff + j];
            }
            for (int j = 0; j < n; j++) {
                acc += readout[row + 1 + in + j] * (double) x[xOff + j];
            }
            y[yOff + k] = (float) acc;
        }
    }

    private float[] initial(EsnState state, int batch) {
        if (state == null) {
            return new float[batch * config.reservoirSize()];
        }
        Shapes.require(label(), "state x", new int[] {batch, config.reservoirSize()}, state.x().shape());
        return state.x().data();
    }

    private void checkSequence(String op, Tensor t, int features, String what) {
        if (t == null || t.rank() != 3 || t.dim(2) != features || t.dim(0) == 0 || t.dim(1) == 0) {
            throw new RecurException(label() + "." + op + ": expected " + what + " [batch, seq, " + features
                    + "] with batch, seq > 0, got " + (t == null ? "null" : Shapes.format(t.shape())));
        }
    }

    private void checkFit(String op, Tensor u, Tensor targets, int washout) {
        checkSequence(op, u, config.inputSize(), "input");
        checkSequence(op, targets, config.outputSize(), "targets");
        Shapes.require(label() + "." + op, "targets [batch, seq, outputs]",
                new int[] {u.dim(0), u.dim(1), config.outputSize()}, targets.shape());
        if (washout < 0 || washout >= u.dim(1)) {
            throw new RecurException(label() + "." + op + ": washout must be in [0, " + u.dim(1) + "), got "
                    + washout);
        }
    }

    private void requireFitted(String op) {
        if (readout == null) {
            throw new RecurException(label() + "." + op + ": the readout is not fitted yet; call fitRidge or fitRls");
        }
    }

    private String label() {
        return "ESN(" + config.inputSize() + " -> " + config.reservoirSize() + " -> " + config.outputSize() + ")";
    }
}
