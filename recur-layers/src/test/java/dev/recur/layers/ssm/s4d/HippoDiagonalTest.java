package dev.recur.layers.ssm.s4d;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.recur.core.RecurException;
import org.junit.jupiter.api.Test;

/**
 * The initialisations: closed forms, normality of the corrected HiPPO matrices, and the diagonalisation checked
 * through the resolvent {@code B^T (s I - S)^{-1} B}, solved independently by Gaussian elimination, which must
 * equal {@code sum_m 2 Re(|Btilde_m|^2 / (s - i w_m))} for every real {@code s}.
 */
class HippoDiagonalTest {
    @Test
    void linAndInvFollowTheirClosedForms() {
        HippoDiagonal.Modes lin = HippoDiagonal.modes(S4dInit.LIN, 8);
        HippoDiagonal.Modes inv = HippoDiagonal.modes(S4dInit.INV, 8);
        for (int n = 0; n < 4; n++) {
            assertThat(lin.aRe()[n]).isEqualTo(-0.5);
            assertThat(lin.aIm()[n]).isCloseTo(Math.PI * n, within(1e-12));
            assertThat(inv.aIm()[n]).isCloseTo(8 / Math.PI * (8.0 / (2 * n + 1) - 1), within(1e-12));
            assertThat(lin.bRe()[n]).isEqualTo(1.0);
        }
    }

    @Test
    void lowRankCorrectionsLeaveAScaledIdentityPlusASkewMatrix() {
        for (S4dInit init : new S4dInit[] {S4dInit.LEGS, S4dInit.LEGT, S4dInit.FOUT}) {
            int n = 12;
            double[][] a = HippoDiagonal.normalPart(init, n);
            double c = init == S4dInit.LEGS ? -0.5 : 0;
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < n; k++) {
                    double sym = 0.5 * (a[i][k] + a[k][i]);
                    assertThat(sym).as("%s (%d, %d)", init, i, k).isCloseTo(i == k ? c : 0, within(1e-9));
                }
            }
        }
    }

    @Test
    void hippoDiagonalisationsReproduceTheResolvent() {
        for (S4dInit init : new S4dInit[] {S4dInit.LEGS, S4dInit.LEGT, S4dInit.FOUT}) {
            for (int n : new int[] {2, 8, 64}) {
                double[][] normal = HippoDiagonal.normalPart(init, n);
                double[][] skew = new double[n][n];
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < n; k++) {
                        skew[i][k] = 0.5 * (normal[i][k] - normal[k][i]);
                    }
                }
                double[] b = HippoDiagonal.inputVector(init, n);
                HippoDiagonal.Modes modes = HippoDiagonal.modes(init, n);
                for (double s : new double[] {0.3, 1, 7, 50, 400}) {
                    double direct = resolvent(skew, b, s);
                    double diagonal = 0;
                    for (int m = 0; m < n / 2; m++) {
                        double w = modes.aIm()[m];
                        double mag = modes.bRe()[m] * modes.bRe()[m] + modes.bIm()[m] * modes.bIm()[m];
                        diagonal += 2 * mag * s / (s * s + w * w);
                    }
                    assertThat(diagonal).as("%s N=%d s=%s", init, n, s)
                            .isCloseTo(direct, within(1e-8 * Math.max(1, Math.abs(direct))));
                }
            }
        }
    }

    @Test
    void legsKeepsItsRealPartAndFourierFrequenciesAreTwoPiN() {
        HippoDiagonal.Modes legs = HippoDiagonal.modes(S4dInit.LEGS, 16);
        HippoDiagonal.Modes fout = HippoDiagonal.modes(S4dInit.FOUT, 16);
        for (int m = 0; m < 8; m++) {
            assertThat(legs.aRe()[m]).isCloseTo(-0.5, within(1e-12));
            assertThat(fout.aIm()[m]).isCloseTo(2 * Math.PI * m, within(1e-9));
            if (m > 0) {
                assertThat(legs.aIm()[m]).isGreaterThan(legs.aIm()[m - 1]);
            }
        }
    }

    @Test
    void oddStateSizesAreRefused() {
        assertThatThrownBy(() -> HippoDiagonal.modes(S4dInit.LEGS, 7)).isInstanceOf(RecurException.class)
                .hasMessageContaining("7");
    }

    /** {@code b^T (s I - S)^{-1} b} by Gaussian elimination with partial pivoting. */
    private static double resolvent(double[][] skew, double[] b, double s) {
        int n = b.length;
        double[][] m = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                m[i][k] = (i == k ? s : 0) - skew[i][k];
            }
            m[i][n] = b[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = m[col];
            m[col] = m[pivot];
            m[pivot] = t;
            for (int r = col + 1; r < n; r++) {
                double f = m[r][col] / m[col][col];
                for (int k = col; k <= n; k++) {
                    m[r][k] -= f * m[col][k];
                }
            }
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double v = m[i][n];
            for (int k = i + 1; k < n; k++) {
                v -= m[i][k] * x[k];
            }
            x[i] = v / m[i][i];
        }
        double r = 0;
        for (int i = 0; i < n; i++) {
            r += b[i] * x[i];
        }
        return r;
    }
}
