package dev.recur.layers.ssm.s4d;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.fft.Fft;
import dev.recur.core.parallel.ComputePool;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.util.Arrays;

/**
 * The causal per-channel convolution {@code y[b, t, h] = sum_{j <= t} k[h, t - j] x[b, j, h]} of
 * {@code x [B, T, H]} with a kernel {@code k [H, L]} ({@code L >= T}; taps past {@code T} are unused), by FFTs
 * zero-padded to a power of two at least {@code 2T} (no wrap-around), in double.
 *
 * <p>Backward, both by the same FFTs: {@code dx[j] = sum_{t >= j} k[t - j] dy[t]}, the convolution of the
 * reversed {@code dy} with {@code k} read backwards; {@code dk[l] = sum_b sum_t dy[b, t] x[b, t - l]}, the
 * convolution of the reversed {@code x} with {@code dy} read from {@code T - 1}, summed over the batch in the
 * frequency domain.
 */
public final class FftConvolution {
    private FftConvolution() {}

    public static Tensor causal(Tensor x, Tensor kernel) {
        String op = "s4d_fft_conv";
        Shapes.requireRank(op, "x [B, T, H]", x, 3);
        Shapes.requireRank(op, "kernel [H, L]", kernel, 2);
        int batch = x.dim(0);
        int steps = x.dim(1);
        int channels = x.dim(2);
        int taps = kernel.dim(1);
        if (kernel.dim(0) != channels || taps < steps) {
            throw new RecurException(op + ": expected kernel [" + channels + ", >= " + steps + "] for x "
                    + Shapes.format(x.shape()) + ", got " + Shapes.format(kernel.shape()));
        }
        int n = Fft.paddedSize(2 * steps);
        float[] xs = x.data();
        float[] ks = kernel.data();
        float[] y = new float[xs.length];
        // Channels are independent: one task each, own buffers, so the bits do not depend on the thread count.
        ComputePool.shared().parallelFor(channels, h -> {
            double[] kr = new double[n];
            double[] ki = new double[n];
            double[] ar = new double[n];
            double[] ai = new double[n];
            kernelSpectrum(ks, h, taps, steps, kr, ki);
            // Two batch rows per transform, as the real and imaginary parts: the kernel is real, so its
            // spectrum acts on each part separately.
            for (int b = 0; b < batch; b += 2) {
                column(xs, b, h, steps, channels, false, ar);
                column(xs, b + 1 < batch ? b + 1 : -1, h, steps, channels, false, ai);
                Fft.transform(ar, ai, false);
                Fft.multiplyInto(ar, ai, kr, ki);
                Fft.transform(ar, ai, true);
                for (int t = 0; t < steps; t++) {
                    y[(b * steps + t) * channels + h] = (float) ar[t];
                    if (b + 1 < batch) {
                        y[((b + 1) * steps + t) * channels + h] = (float) ai[t];
                    }
                }
            }
        });
        return Tensor.result(op, y, x.shape(), g -> {
            float[] gx = x.gradBuffer();
            float[] gk = kernel.gradBuffer();
            ComputePool.shared().parallelFor(channels, h -> backwardChannel(h, g, xs, ks, gx, gk, batch, steps,
                    channels, taps, n));
        }, x, kernel);
    }

    /** {@code dx[:, :, h]} and {@code dk[h, :]} from {@code dy}, for one channel. */
    private static void backwardChannel(int h, float[] g, float[] xs, float[] ks, float[] gx, float[] gk, int batch,
                                        int steps, int channels, int taps, int n) {
        double[] kr = new double[n];
        double[] ki = new double[n];
        double[] br = new double[n];
        double[] bi = new double[n];
        double[] xr = new double[n];
        double[] xi = new double[n];
        double[] sr = new double[n];
        double[] si = new double[n];
        if (gx != null) {
            kernelSpectrum(ks, h, taps, steps, kr, ki);
        }
        for (int b = 0; b < batch; b += 2) {
            boolean pair = b + 1 < batch;
            if (gx != null) {
                column(g, b, h, steps, channels, true, br);
                column(g, pair ? b + 1 : -1, h, steps, channels, true, bi);
                Fft.transform(br, bi, false);
                Fft.multiplyInto(br, bi, kr, ki);
                Fft.transform(br, bi, true);
                for (int j = 0; j < steps; j++) {
                    gx[(b * steps + j) * channels + h] += (float) br[steps - 1 - j];
                    if (pair) {
                        gx[((b + 1) * steps + j) * channels + h] += (float) bi[steps - 1 - j];
                    }
                }
            }
            if (gk != null) {
                for (int r = b; r < Math.min(b + 2, batch); r++) {
                    // One transform of (reversed x) + i dy, split into the two real spectra by conjugate symmetry.
                    column(xs, r, h, steps, channels, true, xr);
                    column(g, r, h, steps, channels, false, xi);
                    Fft.transform(xr, xi, false);
                    for (int q = 0; q < n; q++) {
                        int mq = (n - q) & (n - 1);
                        double pr = 0.5 * (xr[q] + xr[mq]);
                        double pi = 0.5 * (xi[q] - xi[mq]);
                        double qr = 0.5 * (xi[q] + xi[mq]);
                        double qi = -0.5 * (xr[q] - xr[mq]);
                        sr[q] += pr * qr - pi * qi;
                        si[q] += pr * qi + pi * qr;
                    }
                }
            }
        }
        if (gk != null) {
            Fft.transform(sr, si, true);
            for (int l = 0; l < steps; l++) {
                gk[h * taps + l] += (float) sr[steps - 1 + l];
            }
        }
    }

    /** The spectrum of {@code k[h, 0..T)} zero-padded to {@code re.length}. */
    private static void kernelSpectrum(float[] ks, int h, int taps, int steps, double[] re, double[] im) {
        Arrays.fill(re, 0);
        Arrays.fill(im, 0);
        for (int l = 0; l < steps; l++) {
            re[l] = ks[h * taps + l];
        }
        Fft.transform(re, im, false);
    }

    /** Column {@code (b, :, h)} of a {@code [B, T, H]} array, optionally reversed in time, zero-padded; zeros for b = -1. */
    private static void column(float[] src, int b, int h, int steps, int channels, boolean reversed, double[] dst) {
        Arrays.fill(dst, 0);
        if (b < 0) {
            return;
        }
        for (int t = 0; t < steps; t++) {
            dst[reversed ? steps - 1 - t : t] = src[(b * steps + t) * channels + h];
        }
    }
}
