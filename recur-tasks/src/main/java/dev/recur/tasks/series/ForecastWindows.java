package dev.recur.tasks.series;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;

/**
 * Windows of a series with a split by time: the first {@code (1 - validationFraction)} of the samples are the
 * training part, the rest the validation part, and no window crosses the cut, so the validation windows are
 * entirely later than every training window.
 *
 * <p>Training batch {@code k} draws each row's start uniformly over the training part from the stream
 * ({@code seed}, example number), so it is a pure function of the seed, the batch size and {@code k}. Validation
 * windows are the consecutive, non-overlapping-in-future windows starting at the cut, every {@code horizon}
 * samples; validation batch {@code k} holds windows {@code k * batchSize} onwards (the last may be short).
 * The scale of the errors ({@link #scale()}) is each dimension's standard deviation over the training part.
 */
public final class ForecastWindows {
    private final TimeSeries series;
    private final WindowSpec spec;
    private final int cut;
    private final Rng base;
    private final double[] scale;

    public ForecastWindows(TimeSeries series, WindowSpec spec, long seed) {
        int n = series.length();
        int cutAt = (int) Math.floor(n * (1 - spec.validationFraction()));
        if (cutAt < spec.span()) {
            throw new RecurException(series.name() + ": expected a training part of at least history + horizon = "
                    + spec.span() + " samples, got " + cutAt + " of " + n);
        }
        if (spec.validationFraction() > 0 && n - cutAt < spec.span()) {
            throw new RecurException(series.name() + ": expected a validation part of at least history + horizon = "
                    + spec.span() + " samples, got " + (n - cutAt) + " of " + n);
        }
        this.series = series;
        this.spec = spec;
        this.cut = cutAt;
        this.base = new Rng(seed);
        double[] s = series.std(0, cutAt);
        for (int d = 0; d < s.length; d++) {
            if (!(s[d] > 0)) {
                throw new RecurException(series.name() + ": dimension " + d + " is constant over the training part;"
                        + " its errors cannot be normalised");
            }
        }
        this.scale = s;
    }

    public TimeSeries series() {
        return series;
    }

    public WindowSpec spec() {
        return spec;
    }

    /** The first sample of the validation part. */
    public int cut() {
        return cut;
    }

    /** Each dimension's standard deviation over the training part. */
    public double[] scale() {
        return scale.clone();
    }

    /** Distinct training window starts. */
    public int trainingWindowCount() {
        return cut - spec.span() + 1;
    }

    public int validationWindowCount() {
        int room = series.length() - cut - spec.span();
        return room < 0 ? 0 : room / spec.horizon() + 1;
    }

    /** Training batch {@code index}: random windows inside the training part. */
    public WindowBatch trainingBatch(int batchSize, long index) {
        if (batchSize < 1 || index < 0) {
            throw new RecurException(series.name() + ": expected batchSize >= 1 and index >= 0, got batchSize "
                    + batchSize + ", index " + index);
        }
        int[] starts = new int[batchSize];
        for (int b = 0; b < batchSize; b++) {
            starts[b] = base.derive(index * batchSize + b).nextInt(trainingWindowCount());
        }
        return cutWindows(starts);
    }

    /** Validation batch {@code index}, in time order. */
    public WindowBatch validationBatch(int batchSize, long index) {
        int count = validationWindowCount();
        if (batchSize < 1 || index < 0 || index * batchSize >= count) {
            throw new RecurException(series.name() + ": expected batchSize >= 1 and a validation batch index in [0, "
                    + ((count + Math.max(batchSize, 1) - 1) / Math.max(batchSize, 1)) + "), got batchSize "
                    + batchSize + ", index " + index);
        }
        int rows = (int) Math.min(batchSize, count - index * batchSize);
        int[] starts = new int[rows];
        for (int b = 0; b < rows; b++) {
            starts[b] = cut + (int) (index * batchSize + b) * spec.horizon();
        }
        return cutWindows(starts);
    }

    /** The windows starting at the given series indices. */
    public WindowBatch cutWindows(int[] starts) {
        int d = series.dims();
        int h = spec.history();
        int f = spec.horizon();
        float[] hist = new float[starts.length * h * d];  // [B, H, D]
        float[] fut = new float[starts.length * f * d];   // [B, F, D]
        double[] v = series.values();
        for (int b = 0; b < starts.length; b++) {
            int s = starts[b];
            if (s < 0 || s + spec.span() > series.length()) {
                throw new RecurException(series.name() + ": window start " + s + " does not fit a series of "
                        + series.length() + " samples");
            }
            for (int i = 0; i < h * d; i++) {
                hist[b * h * d + i] = (float) v[s * d + i];
            }
            for (int i = 0; i < f * d; i++) {
                fut[b * f * d + i] = (float) v[(s + h) * d + i];
            }
        }
        return new WindowBatch(Tensor.of(hist, starts.length, h, d), Tensor.of(fut, starts.length, f, d),
                starts.clone());
    }
}
