package dev.recur.train.tasks;

import dev.recur.core.tensor.Tensor;
import dev.recur.train.Parameters;

/**
 * A one-step-ahead forecaster of a multivariate series: trained by teacher forcing on whole windows, run
 * closed-loop to forecast. {@link LocalForecaster} (the shared local LSTM) and {@link StackForecaster} (any
 * layer spec) are the two kinds.
 */
public interface Forecaster {
    /** Every trainable tensor, by name. */
    Parameters parameters();

    /** Mean squared one-step error in standardised units over a window {@code [B, T, D]} (teacher forcing). */
    Tensor oneStepLoss(Tensor window);

    /** Closed-loop forecast of the {@code horizon} samples after {@code history [B, H, D]}: {@code [B, F, D]}. */
    Tensor forecast(Tensor history, int horizon);
}
