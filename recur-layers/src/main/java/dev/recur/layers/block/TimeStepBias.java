package dev.recur.layers.block;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;

/**
 * The initial bias of a softplus time step, as Mamba, Mamba-2 and Gated DeltaNet draw it (Gu and Dao 2023,
 * "Mamba", section 3.6 and the reference code): the inverse softplus of a step drawn log-uniformly from
 * [0.001, 0.1], floored at 1e-4.
 */
public final class TimeStepBias {
    private static final double DT_MIN = 0.001;
    private static final double DT_MAX = 0.1;
    private static final double DT_FLOOR = 1e-4;

    private TimeStepBias() {}

    /** {@code [n]} biases, one step drawn per entry from {@code rng}. */
    public static Tensor draw(Rng rng, int n) {
        float[] b = new float[n];
        for (int d = 0; d < n; d++) {
            double dt = Math.exp(rng.nextDouble() * (Math.log(DT_MAX) - Math.log(DT_MIN)) + Math.log(DT_MIN));
            dt = Math.max(dt, DT_FLOOR);
            // softplus(bias) = dt  <=>  bias = dt + log(1 - exp(-dt))
            b[d] = (float) (dt + Math.log(-Math.expm1(-dt)));
        }
        return Tensor.of(b, n);
    }
}
