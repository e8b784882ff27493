package dev.recur.train.optim;

import dev.recur.core.RecurException;

/**
 * Settings of {@link AdamW}, validated when built. {@link #of(double)} gives PyTorch's defaults.
 *
 * @param learningRate initial step size, finite and {@code >= 0} (a schedule may change it later)
 * @param beta1 decay rate of the first-moment (mean) estimate, in {@code [0, 1)}
 * @param beta2 decay rate of the second-moment (uncentred variance) estimate, in {@code [0, 1)}
 * @param eps added to the denominator, {@code > 0} so that a parameter with a zero gradient stays finite
 * @param weightDecay decoupled decay rate {@code >= 0}: each step multiplies decayed weights by
 *     {@code 1 - learningRate * weightDecay}
 */
public record AdamWConfig(double learningRate, double beta1, double beta2, double eps, double weightDecay) {
    public AdamWConfig {
        OptimizerState.requireLearningRate("AdamWConfig", learningRate);
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new RecurException("AdamWConfig: beta1 expected a number in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new RecurException("AdamWConfig: beta2 expected a number in [0, 1), got " + beta2);
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new RecurException("AdamWConfig: eps expected a finite number > 0 (it keeps the update finite"
                    + " where a gradient is zero), got " + eps);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new RecurException("AdamWConfig: weightDecay expected a finite number >= 0, got " + weightDecay);
        }
    }

    /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
    public static AdamWConfig of(double learningRate) {
        return new AdamWConfig(learningRate, 0.9, 0.999, 1e-8, 0.01);
    }

    public AdamWConfig withBetas(double b1, double b2) {
        return new AdamWConfig(learningRate, b1, b2, eps, weightDecay);
    }

    public AdamWConfig withEps(double value) {
        return new AdamWConfig(learningRate, beta1, beta2, value, weightDecay);
    }

    public AdamWConfig withWeightDecay(double value) {
        return new AdamWConfig(learningRate, beta1, beta2, eps, value);
    }
}
