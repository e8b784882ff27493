package dev.recur.tasks.series;

import dev.recur.core.tensor.Tensor;

/**
 * Forecasting windows: {@code history} {@code [batch, historyLen, dims]} is what the model reads, {@code future}
 * {@code [batch, horizon, dims]} what it must predict; {@code starts[b]} is the series index of row {@code b}'s
 * first history sample.
 */
public record WindowBatch(Tensor history, Tensor future, int[] starts) {
    public int batchSize() {
        return history.dim(0);
    }
}
