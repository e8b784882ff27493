package dev.recur.train.optim;

import dev.recur.core.RecurException;

/**
 * Settings of {@link Sgd}, validated when built.
 *
 * @param learningRate initial step size, finite and {@code >= 0} (a schedule may change it later)
 * @param momentum heavy-ball coefficient in {@code [0, 1)}; 0 is plain SGD
 * @param dampening in {@code [0, 1]}: the fraction of the gradient kept out of the momentum buffer
 * @param weightDecay coupled L2 penalty {@code >= 0}, added to the gradient as {@code weightDecay * w}
 * @param nesterov Nesterov momentum (Sutskever et al. 2013); needs {@code momentum > 0} and no dampening
 */
public record SgdConfig(double learningRate, double momentum, double dampening, double weightDecay,
                        boolean nesterov) {
    public SgdConfig {
        OptimizerState.requireLearningRate("SgdConfig", learningRate);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new RecurException("SgdConfig: momentum expected a number in [0, 1), got " + momentum);
        }
        if (!(dampening >= 0 && dampening <= 1)) {
            throw new RecurException("SgdConfig: dampening expected a number in [0, 1], got " + dampening);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new RecurException("SgdConfig: weightDecay expected a finite number >= 0, got " + weightDecay);
        }
        if (nesterov && (momentum == 0 || dampening != 0)) {
            throw new RecurException("SgdConfig: nesterov needs momentum > 0 and dampening = 0, got momentum "
                    + momentum + " and dampening " + dampening);
        }
    }

    /** Plain SGD: no momentum, no dampening, no weight decay. */
    public static SgdConfig of(double learningRate) {
        return new SgdConfig(learningRate, 0, 0, 0, false);
    }

    public SgdConfig withMomentum(double value) {
        return new SgdConfig(learningRate, value, dampening, weightDecay, nesterov);
    }

    public SgdConfig withDampening(double value) {
        return new SgdConfig(learningRate, momentum, value, weightDecay, nesterov);
    }

    public SgdConfig withWeightDecay(double value) {
        return new SgdConfig(learningRate, momentum, dampening, value, nesterov);
    }

    public SgdConfig withNesterov(boolean value) {
        return new SgdConfig(learningRate, momentum, dampening, weightDecay, value);
    }
}
