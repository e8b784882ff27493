package dev.recur.train.optim;

import dev.recur.core.RecurException;
import dev.recur.train.NamedParameter;
import dev.recur.train.Parameters;
import java.util.List;
import java.util.function.Predicate;

/**
 * What every optimiser here shares: its parameters, which of them weight decay applies to, and the scheduled
 * learning rate. Subclasses keep their own per-parameter state and update rule.
 */
abstract class ParameterOptimizer implements Optimizer {
    final String op;
    final Parameters params;
    /** Per parameter, in {@link Parameters#list()} order: whether weight decay applies to it. */
    final boolean[] decayed;
    private double learningRate;

    /** Validates the arguments (naming {@code op}) and evaluates {@code decay} on every parameter. */
    ParameterOptimizer(String op, Parameters params, Object config, Predicate<NamedParameter> decay) {
        if (params == null || config == null || decay == null) {
            throw new RecurException(op + ": expected parameters, a config and a decay predicate, got "
                    + (params == null ? "null parameters" : config == null ? "a null config" : "a null predicate"));
        }
        this.op = op;
        this.params = params;
        List<NamedParameter> list = params.list();
        this.decayed = new boolean[list.size()];
        for (int i = 0; i < decayed.length; i++) {
            decayed[i] = decay.test(list.get(i));
        }
    }

    @Override
    public final void zeroGrad() {
        params.zeroGrad();
    }

    @Override
    public final Parameters parameters() {
        return params;
    }

    @Override
    public final double learningRate() {
        return learningRate;
    }

    @Override
    public final void setLearningRate(double learningRate) {
        OptimizerState.requireLearningRate(op, learningRate);
        this.learningRate = learningRate;
    }
}
