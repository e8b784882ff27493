package dev.recur.core.kernel.fft;

import dev.recur.core.RecurException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Radix-2 decimation-in-time FFT over power-of-two sizes, in place, in double precision.
 *
 * <p>Forward: {@code X[k] = sum_j x[j] exp(-2 pi i j k / n)}; inverse uses {@code +i} and divides by {@code n}.
 * Twiddle factors are computed once per size (directly with {@code cos/sin}, never by recurrence, so the error
 * stays at a few ulps whatever the size) and shared between threads.
 */
public final class Fft {
    private static final ConcurrentHashMap<Integer, double[][]> TWIDDLES = new ConcurrentHashMap<>();

    private Fft() {}

    /** The smallest power of two that is at least {@code n} (and at least 1). */
    public static int paddedSize(int n) {
        if (n < 0 || n > (1 << 30)) {
            throw new RecurException("fft: size must be in [0, 2^30], got " + n);
        }
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }

    /** Transforms {@code (re, im)} in place; both arrays have the same power-of-two length. */
    public static void transform(double[] re, double[] im, boolean inverse) {
        int n = re.length;
        if (im.length != n || Integer.bitCount(n) != 1) {
            throw new RecurException("fft: expected two arrays of one power-of-two length, got " + n + " and "
                    + im.length);
        }
        bitReverse(re, im);
        double[][] tw = twiddles(n);
        double[] cos = tw[0];
        double[] sin = tw[1];
        double sign = inverse ? 1 : -1;
        for (int len = 2; len <= n; len <<= 1) {
            int half = len >> 1;
            int stride = n / len;
            for (int start = 0; start < n; start += len) {
                for (int j = 0; j < half; j++) {
                    double wr = cos[j * stride];
                    double wi = sign * sin[j * stride];
                    int a = start + j;
                    int b = a + half;
                    double tr = re[b] * wr - im[b] * wi;
                    double ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
        if (inverse) {
            double scale = 1.0 / n;
            for (int i = 0; i < n; i++) {
                re[i] *= scale;
                im[i] *= scale;
            }
        }
    }

    /**
     * The linear convolution {@code y[t] = sum_{j <= t} a[j] b[t - j]} for {@code t < outLength}, by FFTs
     * zero-padded to a power of two at least {@code a.length + b.length - 1} (so no wrap-around).
     */
    public static double[] convolve(double[] a, double[] b, int outLength) {
        if (outLength < 0) {
            throw new RecurException("fft.convolve: outLength must be >= 0, got " + outLength);
        }
        int n = paddedSize(Math.max(1, a.length + b.length - 1));
        double[] ar = new double[n];
        double[] ai = new double[n];
        double[] br = new double[n];
        double[] bi = new double[n];
        System.arraycopy(a, 0, ar, 0, a.length);
        System.arraycopy(b, 0, br, 0, b.length);
        transform(ar, ai, false);
        transform(br, bi, false);
        multiplyInto(ar, ai, br, bi);
        transform(ar, ai, true);
        double[] y = new double[outLength];
        System.arraycopy(ar, 0, y, 0, Math.min(outLength, n));
        return y;
    }

    /** {@code (ar, ai) *= (br, bi)} element by element. */
    public static void multiplyInto(double[] ar, double[] ai, double[] br, double[] bi) {
        for (int k = 0; k < ar.length; k++) {
            double r = ar[k] * br[k] - ai[k] * bi[k];
            ai[k] = ar[k] * bi[k] + ai[k] * br[k];
            ar[k] = r;
        }
    }

    private static void bitReverse(double[] re, double[] im) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
    }

    /** {@code cos(2 pi j / n)} and {@code sin(2 pi j / n)} for {@code j < n / 2}. */
    private static double[][] twiddles(int n) {
        return TWIDDLES.computeIfAbsent(n, size -> {
            int half = Math.max(1, size / 2);
            double[] c = new double[half];
            double[] s = new double[half];
            for (int j = 0; j < half; j++) {
                double angle = 2 * Math.PI * j / size;
                c[j] = Math.cos(angle);
                s[j] = Math.sin(angle);
            }
            return new double[][] {c, s};
        });
    }
}
