package dev.recur.tasks.hmm;

import dev.recur.core.random.Rng;

/** Dirichlet samples from normalised Gamma draws (Marsaglia and Tsang 2000, boosted for shapes below 1). */
final class Dirichlet {
    private Dirichlet() {
    }

    /** A distribution over the allowed entries (others 0), Dirichlet with every concentration {@code alpha}. */
    static double[] sample(Rng rng, double alpha, boolean[] allowed) {
        double[] p = new double[allowed.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            if (allowed[i]) {
                // a floor keeps every allowed entry positive, so that no allowed move is impossible
                p[i] = Math.max(gamma(rng, alpha), 1e-12);
                sum += p[i];
            }
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** A Gamma(shape, 1) sample. */
    static double gamma(Rng rng, double shape) {
        if (shape < 1) {
            // Gamma(a) = Gamma(a + 1) * U^(1/a)
            double u = rng.nextDouble();
            return gamma(rng, shape + 1) * Math.pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = rng.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = rng.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }
}
