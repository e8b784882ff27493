package dev.recur.core.kernel.fft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The FFT against the direct O(n^2) DFT, and the FFT convolution against the direct sum. */
class FftKernelTest {
    /** Direct DFT: {@code X[k] = sum_j x[j] exp(sign 2 pi i j k / n)}, divided by n when inverse. */
    private static double[][] dft(double[] re, double[] im, boolean inverse) {
        int n = re.length;
        double[] outRe = new double[n];
        double[] outIm = new double[n];
        double sign = inverse ? 1 : -1;
        for (int k = 0; k < n; k++) {
            double sr = 0;
            double si = 0;
            for (int j = 0; j < n; j++) {
                double angle = sign * 2 * Math.PI * ((long) j * k % n) / n;
                sr += re[j] * Math.cos(angle) - im[j] * Math.sin(angle);
                si += re[j] * Math.sin(angle) + im[j] * Math.cos(angle);
            }
            outRe[k] = inverse ? sr / n : sr;
            outIm[k] = inverse ? si / n : si;
        }
        return new double[][] {outRe, outIm};
    }

    private static double[] random(SplittableRandom rng, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 2 * rng.nextDouble() - 1;
        }
        return x;
    }

    @Test
    void forwardAndInverseMatchTheDirectDft() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int n : new int[] {1, 2, 4, 8, 64, 512}) {
            for (boolean inverse : new boolean[] {false, true}) {
                double[] re = random(rng, n);
                double[] im = random(rng, n);
                double[][] expected = dft(re, im, inverse);
                Fft.transform(re, im, inverse);
                for (int k = 0; k < n; k++) {
                    assertThat(Math.abs(re[k] - expected[0][k])).as("n=%d k=%d re", n, k).isLessThan(1e-10 * n);
                    assertThat(Math.abs(im[k] - expected[1][k])).as("n=%d k=%d im", n, k).isLessThan(1e-10 * n);
                }
            }
        }
    }

    @Test
    void inverseUndoesForward() {
        SplittableRandom rng = new SplittableRandom(4);
        double[] re = random(rng, 4096);
        double[] im = random(rng, 4096);
        double[] re0 = re.clone();
        double[] im0 = im.clone();
        Fft.transform(re, im, false);
        Fft.transform(re, im, true);
        for (int i = 0; i < re.length; i++) {
            assertThat(Math.abs(re[i] - re0[i])).isLessThan(1e-12);
            assertThat(Math.abs(im[i] - im0[i])).isLessThan(1e-12);
        }
    }

    @Test
    void convolutionMatchesTheDirectSumOnAwkwardLengths() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int[] s : new int[][] {{1, 1}, {63, 63}, {257, 5}, {7, 300}}) {
            double[] a = random(rng, s[0]);
            double[] b = random(rng, s[1]);
            int out = s[0] + s[1] - 1;
            double[] y = Fft.convolve(a, b, out + 3);
            for (int t = 0; t < out + 3; t++) {
                double direct = 0;
                for (int j = 0; j <= t && j < a.length; j++) {
                    if (t - j < b.length) {
                        direct += a[j] * b[t - j];
                    }
                }
                assertThat(Math.abs(y[t] - direct)).as("t=%d", t).isLessThan(1e-10);
            }
        }
    }

    @Test
    void paddedSizeIsTheNextPowerOfTwo() {
        assertThat(Fft.paddedSize(0)).isEqualTo(1);
        assertThat(Fft.paddedSize(1)).isEqualTo(1);
        assertThat(Fft.paddedSize(5)).isEqualTo(8);
        assertThat(Fft.paddedSize(8)).isEqualTo(8);
        assertThat(Fft.paddedSize(8193)).isEqualTo(16384);
    }

    @Test
    void nonPowerOfTwoLengthsAreRefusedWithBothLengths() {
        assertThatThrownBy(() -> Fft.transform(new double[6], new double[6], false))
                .isInstanceOf(RecurException.class).hasMessageContaining("fft").hasMessageContaining("6");
    }
}
