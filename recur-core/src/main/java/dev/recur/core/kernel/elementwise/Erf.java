package dev.recur.core.kernel.elementwise;

/**
 * The error function and its complement in double precision, for the exact GELU (Java has neither).
 *
 * <p>{@code |x| < 2.5}: the Maclaurin series {@code erf x = 2/sqrt(pi) sum (-1)^n x^(2n+1) / (n! (2n+1))},
 * summed until the terms stop mattering. {@code |x| >= 2.5}: Laplace's continued fraction
 * {@code erfc x = e^{-x^2}/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))}, evaluated by the modified
 * Lentz method. {@code erfc} of a negative argument is {@code 2 - erfc(-x)}, so {@code erfc} keeps its
 * relative accuracy deep into the tail that GELU of a negative input needs. Rounded to float32 these are
 * within 1 ulp of the true value ({@code ErfTest} checks against a 40-digit reference).
 */
public final class Erf {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;
    private static final double SERIES_LIMIT = 2.5;

    private Erf() {}

    /** {@code erf(x)}. */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        double r = a < SERIES_LIMIT ? series(a) : 1.0 - continuedFraction(a);
        return Math.copySign(r, x);
    }

    /** {@code erfc(x) = 1 - erf(x)}, accurate in relative terms for large positive x too. */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x < 0) {
            return 2.0 - erfc(-x);
        }
        return x < SERIES_LIMIT ? 1.0 - series(x) : continuedFraction(x);
    }

    private static double series(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++) {
            term *= -x2 / n;
            double add = term / (2 * n + 1);
            sum += add;
            if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * sum;
    }

    /** {@code erfc(x)} for {@code x >= 2.5}. */
    private static double continuedFraction(double x) {
        if (x > 27) {
            // e^{-x^2} underflows double here.
            return 0.0;
        }
        double tiny = 1e-300;
        double f = x;
        double c = f;
        double d = 0;
        for (int k = 1; k < 500; k++) {
            double a = 0.5 * k;
            d = x + a * d;
            d = 1.0 / (Math.abs(d) < tiny ? tiny : d);
            c = x + a / c;
            c = Math.abs(c) < tiny ? tiny : c;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x * x) * ONE_OVER_SQRT_PI / f;
    }
}
