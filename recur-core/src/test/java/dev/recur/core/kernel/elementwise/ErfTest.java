package dev.recur.core.kernel.elementwise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

/** {@link Erf} against an independent arbitrary-precision Maclaurin series (80 significant digits). */
class ErfTest {
    private static final MathContext MC = new MathContext(80);
    /** 2/sqrt(pi) to 50 digits. */
    private static final BigDecimal TWO_OVER_SQRT_PI = new BigDecimal("1.1283791670955125738961589031215451716881012586580");

    /** erf(x) = 2/sqrt(pi) sum_n (-1)^n x^(2n+1) / (n! (2n+1)), summed until terms are below 1e-60. */
    private static BigDecimal erfExact(double x) {
        BigDecimal bx = new BigDecimal(x);
        BigDecimal x2 = bx.multiply(bx, MC).negate();
        BigDecimal term = bx;
        BigDecimal sum = bx;
        BigDecimal tiny = new BigDecimal("1e-60");
        for (int n = 1; n < 2000; n++) {
            term = term.multiply(x2, MC).divide(BigDecimal.valueOf(n), MC);
            BigDecimal add = term.divide(BigDecimal.valueOf(2L * n + 1), MC);
            sum = sum.add(add, MC);
            if (add.abs().compareTo(tiny) < 0) {
                break;
            }
        }
        return sum.multiply(TWO_OVER_SQRT_PI, MC);
    }

    @Test
    void erfAndErfcRoundToWithinOneFloatUlp() {
        double worstErf = 0;
        double worstErfcRel = 0;
        for (int i = -140; i <= 140; i++) {
            double x = i / 20.0 + 0.0031;
            BigDecimal exact = erfExact(x);
            double erf = exact.doubleValue();
            double erfc = BigDecimal.ONE.subtract(exact, MC).doubleValue();
            worstErf = Math.max(worstErf, Math.abs(Erf.erf(x) - erf) / Math.ulp((float) erf));
            worstErfcRel = Math.max(worstErfcRel, Math.abs(Erf.erfc(x) - erfc) / erfc);
        }
        assertTrue(worstErf <= 0.01, "erf error " + worstErf + " float ulp");
        // Relative error of erfc far below float precision, across the series / continued-fraction switch.
        assertTrue(worstErfcRel <= 1e-10, "erfc relative error " + worstErfcRel);
    }

    @Test
    void specialValues() {
        assertEquals(0.0, Erf.erf(0.0), 0.0);
        assertEquals(1.0, Erf.erf(Double.POSITIVE_INFINITY), 0.0);
        assertEquals(-1.0, Erf.erf(-40.0), 0.0);
        assertEquals(0.0, Erf.erfc(Double.POSITIVE_INFINITY), 0.0);
        assertEquals(2.0, Erf.erfc(Double.NEGATIVE_INFINITY), 0.0);
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)));
        assertTrue(Double.isNaN(Erf.erfc(Double.NaN)));
    }
}
