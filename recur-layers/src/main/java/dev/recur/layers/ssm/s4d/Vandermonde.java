package dev.recur.layers.ssm.s4d;

import dev.recur.core.RecurException;
import dev.recur.core.parallel.ComputePool;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.util.Arrays;

/**
 * The real part of a complex Vandermonde product, S4D's convolution kernel and free response:
 * {@code y[g, h, l] = 2 Re(sum_m w[g, h, m] z[h, m]^l)} for {@code l < length}, with complex numbers as pairs of
 * real tensors {@code w [G, H, M]} (or {@code [H, M]}, then {@code y [H, L]}) and {@code z [H, M]}. Computed in
 * double (powers by repeated multiplication), rounded to float once.
 *
 * <p>Backward, with {@code S0 = sum_l g_l z^l} and {@code S1 = sum_l l g_l z^(l-1)} (Horner's rule and its
 * derivative): {@code g_w = 2 conj(S0)} and {@code g_z = conj(2 w S1)}, summed over {@code g}.
 */
public final class Vandermonde {
    private Vandermonde() {}

    public static Tensor apply(Tensor wRe, Tensor wIm, Tensor zRe, Tensor zIm, int length) {
        String op = "s4d_vandermonde";
        if (wRe.rank() != 2 && wRe.rank() != 3) {
            throw new RecurException(op + ": expected wRe [G, H, M] or [H, M], got " + Shapes.format(wRe.shape()));
        }
        Shapes.require(op, "wIm", wRe.shape(), wIm.shape());
        Shapes.requireRank(op, "zRe [H, M]", zRe, 2);
        Shapes.require(op, "zIm", zRe.shape(), zIm.shape());
        int channels = zRe.dim(0);
        int modes = zRe.dim(1);
        boolean batched = wRe.rank() == 3;
        int groups = batched ? wRe.dim(0) : 1;
        Shapes.require(op, "w's last two axes", new int[] {channels, modes},
                new int[] {wRe.dim(wRe.rank() - 2), wRe.dim(wRe.rank() - 1)});
        if (length < 0) {
            throw new RecurException(op + ": length must be >= 0, got " + length);
        }
        int[] shape = batched ? new int[] {groups, channels, length} : new int[] {channels, length};
        float[] wr = wRe.data();
        float[] wi = wIm.data();
        float[] zr = zRe.data();
        float[] zi = zIm.data();
        float[] y = new float[groups * channels * length];
        // One task per channel (all groups inside it): the bits do not depend on the thread count.
        ComputePool.shared().parallelFor(channels, h -> {
            double[] acc = new double[length];
            for (int g = 0; g < groups; g++) {
                Arrays.fill(acc, 0);
                for (int m = 0; m < modes; m++) {
                    int iz = h * modes + m;
                    int iw = (g * channels + h) * modes + m;
                    double pr = wr[iw];
                    double pi = wi[iw];
                    double ar = zr[iz];
                    double ai = zi[iz];
                    for (int l = 0; l < length; l++) {
                        acc[l] += 2 * pr;
                        double t = pr * ar - pi * ai;
                        pi = pr * ai + pi * ar;
                        pr = t;
                    }
                }
                int base = (g * channels + h) * length;
                for (int l = 0; l < length; l++) {
                    y[base + l] = (float) acc[l];
                }
            }
        });
        return Tensor.result(op, y, shape, grad -> {
            float[] gwr = wRe.gradBuffer();
            float[] gwi = wIm.gradBuffer();
            float[] gzr = zRe.gradBuffer();
            float[] gzi = zIm.gradBuffer();
            ComputePool.shared().parallelFor(channels, h -> {
                for (int g = 0; g < groups; g++) {
                    int base = (g * channels + h) * length;
                    for (int m = 0; m < modes; m++) {
                        int iz = h * modes + m;
                        int iw = (g * channels + h) * modes + m;
                        double ar = zr[iz];
                        double ai = zi[iz];
                        // Horner from the top: s0 = sum g_l z^l, s1 = its derivative in z.
                        double s0r = 0;
                        double s0i = 0;
                        double s1r = 0;
                        double s1i = 0;
                        for (int l = length - 1; l >= 0; l--) {
                            double t = s1r * ar - s1i * ai + s0r;
                            s1i = s1r * ai + s1i * ar + s0i;
                            s1r = t;
                            t = s0r * ar - s0i * ai + grad[base + l];
                            s0i = s0r * ai + s0i * ar;
                            s0r = t;
                        }
                        if (gwr != null) {
                            gwr[iw] += (float) (2 * s0r);
                        }
                        if (gwi != null) {
                            gwi[iw] += (float) (-2 * s0i);
                        }
                        double pr = wr[iw];
                        double pi = wi[iw];
                        if (gzr != null) {
                            gzr[iz] += (float) (2 * (pr * s1r - pi * s1i));
                        }
                        if (gzi != null) {
                            gzi[iz] += (float) (-2 * (pr * s1i + pi * s1r));
                        }
                    }
                }
            });
        }, wRe, wIm, zRe, zIm);
    }
}
