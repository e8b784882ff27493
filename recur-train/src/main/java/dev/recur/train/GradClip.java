package dev.recur.train;

import dev.recur.core.RecurException;

/**
 * Gradient norm measurement and clipping over all parameters together (Pascanu, Mikolov and Bengio 2013, "On
 * the difficulty of training recurrent neural networks"): when the global L2 norm of the gradients exceeds a
 * bound, every gradient is scaled by the same factor so that the global norm equals the bound.
 *
 * <p>Sums of squares are taken in double, parameter by parameter in order, so the norm is deterministic and
 * does not overflow for any finite float gradient. Parameters without a gradient are skipped. Unlike PyTorch's
 * {@code clip_grad_norm_}, which divides by {@code norm + 1e-6}, the scale is exactly {@code maxNorm / norm},
 * and gradients whose norm is within the bound are left untouched bit for bit.
 */
public final class GradClip {
    private GradClip() {}

    /**
     * The global L2 norm of all gradients, in double.
     *
     * @throws RecurException naming the first parameter whose gradient holds a NaN or infinity
     */
    public static double globalNorm(Parameters params) {
        return Math.sqrt(sumOfSquares("globalNorm", params));
    }

    /**
     * Scales all gradients by {@code maxNorm / norm} when their global L2 norm exceeds {@code maxNorm}.
     *
     * @return the global norm before clipping (log it: it is the usual early sign of divergence)
     * @throws RecurException when {@code maxNorm} is not positive and finite, or naming the first parameter
     *     whose gradient holds a NaN or infinity (nothing is scaled then)
     */
    public static double clipByGlobalNorm(Parameters params, double maxNorm) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            throw new RecurException("clipByGlobalNorm: maxNorm expected a positive finite number, got " + maxNorm);
        }
        double norm = Math.sqrt(sumOfSquares("clipByGlobalNorm", params));
        if (norm > maxNorm) {
            // Scaling in double keeps the factor exact even where it would be subnormal as a float.
            double scale = maxNorm / norm;
            for (NamedParameter p : params) {
                float[] g = p.gradData();
                if (g != null) {
                    for (int i = 0; i < g.length; i++) {
                        g[i] = (float) (g[i] * scale);
                    }
                }
            }
        }
        return norm;
    }

    private static double sumOfSquares(String op, Parameters params) {
        if (params == null) {
            throw new RecurException(op + ": expected parameters, got null");
        }
        double sum = 0;
        for (NamedParameter p : params) {
            float[] g = p.gradData();
            if (g == null) {
                continue;
            }
            double s = 0;
            for (int i = 0; i < g.length; i++) {
                float v = g[i];
                if (!Float.isFinite(v)) {
                    throw new RecurException(op + ": gradient of parameter '" + p.name() + "' is not finite: "
                            + v + " at flat index " + i + " of " + g.length);
                }
                s = Math.fma(v, v, s);
            }
            sum += s;
        }
        return sum;
    }
}
