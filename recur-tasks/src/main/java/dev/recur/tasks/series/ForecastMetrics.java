package dev.recur.tasks.series;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import java.util.Arrays;

/**
 * The forecasting metrics, on predictions and truths {@code [batch, horizon, dims]} and a per-dimension scale
 * (the training part's standard deviation):
 * <ul>
 *   <li>the normalised error at step {@code k} of row {@code b}: {@code e_b(k) = sqrt(mean_d(((p - y) / s_d)^2))};</li>
 *   <li>the normalised RMSE: {@code sqrt(mean_{b,k,d}(((p - y) / s_d)^2))};</li>
 *   <li>the valid prediction time of row {@code b}: {@code dt * K_b}, where {@code K_b} is the number of steps
 *   before {@code e_b} first exceeds the threshold (all {@code horizon} if it never does); averaged over rows and,
 *   when the largest Lyapunov exponent {@code lambda} is known, multiplied by it (Lyapunov times).</li>
 * </ul>
 * The persistence baseline predicts the last history sample at every future step.
 */
public final class ForecastMetrics {
    /** The usual valid-prediction-time threshold on the normalised error (Pathak et al. 2018 use 0.4 to 0.5). */
    public static final double DEFAULT_THRESHOLD = 0.5;

    private ForecastMetrics() {
    }

    /** The normalised error of each row at each step: {@code [batch][horizon]}. */
    public static double[][] errorCurves(Tensor predicted, Tensor truth, double[] scale) {
        check(predicted, truth, scale);
        int b = truth.dim(0);
        int f = truth.dim(1);
        int d = truth.dim(2);
        float[] p = predicted.data();
        float[] y = truth.data();
        double[][] e = new double[b][f];
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < f; k++) {
                double sum = 0;
                for (int j = 0; j < d; j++) {
                    int idx = (i * f + k) * d + j;
                    double z = ((double) p[idx] - y[idx]) / scale[j];
                    sum += z * z;
                }
                e[i][k] = Math.sqrt(sum / d);
            }
        }
        return e;
    }

    public static double nrmse(Tensor predicted, Tensor truth, double[] scale) {
        double[][] e = errorCurves(predicted, truth, scale);
        double sum = 0;
        int n = 0;
        for (double[] row : e) {
            for (double v : row) {
                sum += v * v;
                n++;
            }
        }
        return Math.sqrt(sum / n);
    }

    /**
     * The mean valid prediction time.
     *
     * @param dt the time between samples
     * @param lyapunovExponent the largest Lyapunov exponent per time unit, or NaN to report plain time units
     */
    public static double validPredictionTime(Tensor predicted, Tensor truth, double[] scale, double threshold,
                                             double dt, double lyapunovExponent) {
        if (!(threshold > 0)) {
            throw new RecurException("validPredictionTime: threshold expected > 0, got " + threshold);
        }
        double[][] e = errorCurves(predicted, truth, scale);
        double total = 0;
        for (double[] row : e) {
            int k = 0;
            while (k < row.length && row[k] <= threshold) {
                k++;
            }
            total += k * dt;
        }
        double mean = total / e.length;
        return Double.isNaN(lyapunovExponent) ? mean : mean * lyapunovExponent;
    }

    /** The persistence forecast: the last history sample repeated {@code horizon} times, {@code [B, F, D]}. */
    public static Tensor persistence(Tensor history, int horizon) {
        if (history.rank() != 3 || horizon < 1) {
            throw new RecurException("persistence: expected history [batch, historyLen, dims] and horizon >= 1, got "
                    + Arrays.toString(history.shape()) + ", horizon " + horizon);
        }
        int b = history.dim(0);
        int h = history.dim(1);
        int d = history.dim(2);
        float[] x = history.data();
        float[] out = new float[b * horizon * d];
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < horizon; k++) {
                System.arraycopy(x, (i * h + h - 1) * d, out, (i * horizon + k) * d, d);
            }
        }
        return Tensor.of(out, b, horizon, d);
    }

    private static void check(Tensor predicted, Tensor truth, double[] scale) {
        if (truth.rank() != 3 || !Arrays.equals(predicted.shape(), truth.shape()) || scale.length != truth.dim(2)) {
            throw new RecurException("forecast metrics: expected predictions and truths [batch, horizon, dims] of one"
                    + " shape and one scale per dim, got " + Arrays.toString(predicted.shape()) + ", "
                    + Arrays.toString(truth.shape()) + ", " + scale.length + " scales");
        }
    }
}
