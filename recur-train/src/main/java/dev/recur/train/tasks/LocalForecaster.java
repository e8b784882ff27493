package dev.recur.train.tasks;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Matmul;
import dev.recur.core.ops.Reductions;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.rnn.RnnConfig;
import dev.recur.layers.rnn.RnnLayer;
import dev.recur.layers.rnn.RnnOutput;
import dev.recur.layers.rnn.RnnState;
import dev.recur.train.Parameters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A one-step-ahead LSTM forecaster for spatially extended, translation-invariant systems on a ring (Lorenz-96,
 * Kuramoto-Sivashinsky), after the parallel local models of Vlachas et al. 2020: one LSTM, shared by every
 * site, reads the standardised values of sites {@code i-r .. i+r} (cyclic) and predicts the increment of site
 * {@code i}. Sharing the weights across the {@code D} sites gives {@code D} times the training sequences of a
 * model of the whole state. Trained by teacher forcing ({@link #oneStepLoss}); forecasts run closed-loop.
 */
public final class LocalForecaster implements Forecaster {
    private final RnnLayer lstm;
    private final Tensor headWeight;
    private final Tensor headBias;
    private final double[] mean;
    private final double[] std;
    private final int dims;
    private final int radius;

    /**
     * A forecaster for {@code dims} sites whose values have overall {@code mean} and {@code std}, reading
     * {@code radius} neighbours each side through {@code hidden} LSTM units.
     */
    public LocalForecaster(int dims, double mean, double std, int radius, int hidden, Rng rng) {
        this(filled(dims, mean), filled(dims, std), radius, hidden, rng);
    }

    /**
     * A forecaster whose site {@code i} has its own {@code mean[i]} and {@code std[i]} (for series whose
     * dimensions have different units, read with {@code radius} 0: one LSTM shared by independent columns).
     */
    public LocalForecaster(double[] mean, double[] std, int radius, int hidden, Rng rng) {
        int dims = mean.length;
        if (dims <= 0 || std.length != dims || radius < 0 || 2 * radius + 1 > dims || hidden <= 0) {
            throw new RecurException("LocalForecaster: expected dims > 0 means and stds, 0 <= 2*radius+1 <= dims and "
                    + "hidden > 0, got " + dims + " means, " + std.length + " stds, radius " + radius + ", hidden "
                    + hidden);
        }
        for (int i = 0; i < dims; i++) {
            if (!(std[i] > 0) || !Double.isFinite(std[i]) || !Double.isFinite(mean[i])) {
                throw new RecurException("LocalForecaster: site " + i + " expected a finite mean and a finite std > 0,"
                        + " got mean " + mean[i] + ", std " + std[i]);
            }
        }
        this.dims = dims;
        this.radius = radius;
        this.mean = mean.clone();
        this.std = std.clone();
        this.lstm = new RnnLayer(RnnConfig.lstm(2 * radius + 1, hidden), rng.split());
        // A small head: the first forecasts stay close to persistence instead of jumping by O(1) std.
        float bound = (float) (0.1 / Math.sqrt(hidden));
        this.headWeight = Tensor.uniform(rng.split(), -bound, bound, hidden, 1).requiresGrad(true);
        this.headBias = Tensor.zeros(1).requiresGrad(true);
    }

    private static double[] filled(int n, double value) {
        if (n <= 0) {
            throw new RecurException("LocalForecaster: expected dims > 0, got " + n);
        }
        double[] a = new double[n];
        java.util.Arrays.fill(a, value);
        return a;
    }

    /** The number of sites (series dimensions). */
    public int dims() {
        return dims;
    }

    @Override
    public Parameters parameters() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        lstm.parameters().forEach((k, v) -> all.put("lstm." + k, v));
        all.put("head.weight", headWeight);
        all.put("head.bias", headBias);
        return Parameters.of(all);
    }

    @Override
    public Tensor oneStepLoss(Tensor window) {
        requireSeries(window, "oneStepLoss");
        int b = window.dim(0);
        int t = window.dim(1);
        if (t < 2) {
            throw new RecurException("LocalForecaster.oneStepLoss: expected at least 2 steps, got " + t);
        }
        float[] x = window.data();
        int w = 2 * radius + 1;
        float[] in = new float[b * dims * (t - 1) * w];
        float[] delta = new float[b * dims * (t - 1)];
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < dims; i++) {
                int seq = r * dims + i;
                for (int s = 0; s < t - 1; s++) {
                    int row = (r * t + s) * dims;
                    gather(x, row, i, in, (seq * (t - 1) + s) * w);
                    delta[seq * (t - 1) + s] = (float) ((x[row + dims + i] - x[row + i]) / std[i]);
                }
            }
        }
        Tensor h = lstm.forward(Tensor.of(in, b * dims, t - 1, w)).output();   // [B*D, T-1, H]
        Tensor pred = Arithmetic.add(Matmul.matmul(h, headWeight), headBias);   // [B*D, T-1, 1]
        Tensor target = Tensor.of(delta, b * dims, t - 1, 1);
        return Reductions.mean(Arithmetic.square(Arithmetic.sub(pred, target)));
    }

    @Override
    public Tensor forecast(Tensor history, int horizon) {
        requireSeries(history, "forecast");
        if (horizon < 1) {
            throw new RecurException("LocalForecaster.forecast: horizon expected >= 1, got " + horizon);
        }
        int b = history.dim(0);
        int len = history.dim(1);
        int w = 2 * radius + 1;
        float[] x = history.data();
        float[] out = new float[b * horizon * dims];
        try (var scope = GradMode.noGrad()) {
            float[] in = new float[b * dims * len * w];
            for (int r = 0; r < b; r++) {
                for (int i = 0; i < dims; i++) {
                    for (int s = 0; s < len; s++) {
                        gather(x, (r * len + s) * dims, i, in, (((r * dims + i) * len) + s) * w);
                    }
                }
            }
            RnnOutput run = lstm.forward(Tensor.of(in, b * dims, len, w));
            RnnState state = run.state();
            float[] hs = run.output().data();
            int hidden = lstm.config().hiddenSize();
            float[] hLast = new float[b * dims * hidden];
            for (int seq = 0; seq < b * dims; seq++) {
                System.arraycopy(hs, (seq * len + len - 1) * hidden, hLast, seq * hidden, hidden);
            }
            Tensor h = Tensor.of(hLast, b * dims, hidden);                           // [B*D, H]
            float[] current = new float[b * dims];
            for (int r = 0; r < b; r++) {
                System.arraycopy(x, (r * len + len - 1) * dims, current, r * dims, dims);
            }
            float[] step = new float[b * dims * w];
            for (int k = 0; k < horizon; k++) {
                float[] d = Arithmetic.add(Matmul.matmul(h, headWeight), headBias).data(); // [B*D, 1]
                for (int j = 0; j < b * dims; j++) {
                    current[j] += (float) (d[j] * std[j % dims]);
                }
                for (int r = 0; r < b; r++) {
                    System.arraycopy(current, r * dims, out, (r * horizon + k) * dims, dims);
                }
                if (k + 1 < horizon) {
                    for (int r = 0; r < b; r++) {
                        for (int i = 0; i < dims; i++) {
                            gather(current, r * dims, i, step, (r * dims + i) * w);
                        }
                    }
                    RnnOutput next = lstm.step(Tensor.of(step, b * dims, w), state);
                    state = next.state();
                    h = next.output();
                }
            }
        }
        return Tensor.of(out, b, horizon, dims);
    }

    /** Writes the standardised sites {@code i-r .. i+r} (cyclic) of the state at {@code row} to {@code dst}. */
    private void gather(float[] src, int row, int i, float[] dst, int at) {
        for (int o = -radius; o <= radius; o++) {
            int site = Math.floorMod(i + o, dims);
            dst[at + o + radius] = (float) ((src[row + site] - mean[site]) / std[site]);
        }
    }

    private void requireSeries(Tensor x, String op) {
        if (x.rank() != 3 || x.dim(2) != dims || x.dim(0) == 0 || x.dim(1) == 0) {
            throw new RecurException("LocalForecaster." + op + ": expected [batch, steps, " + dims + "], got "
                    + Shapes.format(x.shape()));
        }
    }
}
