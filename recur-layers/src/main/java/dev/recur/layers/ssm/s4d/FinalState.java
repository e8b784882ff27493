package dev.recur.layers.ssm.s4d;

import dev.recur.core.parallel.ComputePool;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.util.Arrays;

/**
 * The state after a whole chunk in closed form, differentiable: from {@code x_0 [B, H, M]} and
 * {@code u [B, T, H]}, {@code x_T = z^T x_0 + Bbar sum_j z^(T-1-j) u_j} (complex {@code z = Abar},
 * {@code Bbar [H, M]} as pairs of real tensors), run as the recurrence in double.
 *
 * <p>Backward, with {@code g} the gradient of {@code x_T} and {@code P = sum_j z^(T-1-j) u_j}:
 * {@code g_x0 = g conj(z^T)}, {@code g_Bbar = g conj(P)} (summed over the batch),
 * {@code g_u[j] = sum_m Re(conj(g) Bbar z^(T-1-j))}, and
 * {@code g_z = g conj(T z^(T-1) x_0 + Bbar sum_j (T-1-j) z^(T-2-j) u_j)} summed over the batch.
 */
final class FinalState {
    private FinalState() {}

    /** Returns {@code {re, im}}, each {@code [B, H, M]}. */
    static Tensor[] apply(Tensor u, Tensor zRe, Tensor zIm, Tensor bRe, Tensor bIm, Tensor x0Re, Tensor x0Im) {
        String op = "s4d_final_state";
        Shapes.requireRank(op, "u [B, T, H]", u, 3);
        int batch = u.dim(0);
        int steps = u.dim(1);
        int channels = u.dim(2);
        int modes = zRe.dim(1);
        int[] param = {channels, modes};
        int[] state = {batch, channels, modes};
        Shapes.require(op, "zRe", param, zRe.shape());
        Shapes.require(op, "zIm", param, zIm.shape());
        Shapes.require(op, "bbarRe", param, bRe.shape());
        Shapes.require(op, "bbarIm", param, bIm.shape());
        Shapes.require(op, "x0Re", state, x0Re.shape());
        Shapes.require(op, "x0Im", state, x0Im.shape());
        float[] us = u.data();
        float[] zr = zRe.data();
        float[] zi = zIm.data();
        float[] br = bRe.data();
        float[] bi = bIm.data();
        float[] sr = x0Re.data();
        float[] si = x0Im.data();
        float[] outRe = new float[batch * channels * modes];
        float[] outIm = new float[outRe.length];
        ComputePool.shared().parallelFor(channels, h -> {
            for (int b = 0; b < batch; b++) {
                for (int m = 0; m < modes; m++) {
                    int p = h * modes + m;
                    int s = (b * channels + h) * modes + m;
                    double xr = sr[s];
                    double xi = si[s];
                    for (int t = 0; t < steps; t++) {
                        double v = us[(b * steps + t) * channels + h];
                        double nr = zr[p] * xr - zi[p] * xi + br[p] * v;
                        xi = zr[p] * xi + zi[p] * xr + bi[p] * v;
                        xr = nr;
                    }
                    outRe[s] = (float) xr;
                    outIm[s] = (float) xi;
                }
            }
        });
        return Tensor.results(op, new float[][] {outRe, outIm}, new int[][] {state, state}, g -> {
            float[] gu = u.gradBuffer();
            float[] gzr = zRe.gradBuffer();
            float[] gzi = zIm.gradBuffer();
            float[] gbr = bRe.gradBuffer();
            float[] gbi = bIm.gradBuffer();
            float[] gsr = x0Re.gradBuffer();
            float[] gsi = x0Im.gradBuffer();
            ComputePool.shared().parallelFor(channels, h -> {
                double[] guRow = new double[steps];
                for (int b = 0; b < batch; b++) {
                    Arrays.fill(guRow, 0);
                    for (int m = 0; m < modes; m++) {
                        int p = h * modes + m;
                        int s = (b * channels + h) * modes + m;
                        double ar = zr[p];
                        double ai = zi[p];
                        double gr = g[0][s];
                        double gi = g[1][s];
                        // c = conj(g) Bbar: g_u[j] = Re(c z^(T-1-j))
                        double cr = gr * br[p] + gi * bi[p];
                        double ci = gr * bi[p] - gi * br[p];
                        double pr = 1; // z^k, k = T-1-j
                        double pi = 0;
                        double qr = 0; // z^(k-1)
                        double qi = 0;
                        double sumR = 0; // P = sum_j z^k u_j
                        double sumI = 0;
                        double derR = 0; // sum_j k z^(k-1) u_j
                        double derI = 0;
                        for (int k = 0; k < steps; k++) {
                            int j = steps - 1 - k;
                            double v = us[(b * steps + j) * channels + h];
                            guRow[j] += cr * pr - ci * pi;
                            sumR += v * pr;
                            sumI += v * pi;
                            derR += v * k * qr;
                            derI += v * k * qi;
                            qr = pr;
                            qi = pi;
                            double t = pr * ar - pi * ai;
                            pi = pr * ai + pi * ar;
                            pr = t;
                        }
                        // now p = z^T and q = z^(T-1)
                        if (gsr != null) {
                            gsr[s] += (float) (gr * pr + gi * pi);
                        }
                        if (gsi != null) {
                            gsi[s] += (float) (gi * pr - gr * pi);
                        }
                        if (gbr != null) {
                            gbr[p] += (float) (gr * sumR + gi * sumI);
                        }
                        if (gbi != null) {
                            gbi[p] += (float) (gi * sumR - gr * sumI);
                        }
                        if (gzr != null || gzi != null) {
                            // dx_T/dz = T z^(T-1) x_0 + Bbar * der
                            double dr = steps * (qr * sr[s] - qi * si[s]) + br[p] * derR - bi[p] * derI;
                            double di = steps * (qr * si[s] + qi * sr[s]) + br[p] * derI + bi[p] * derR;
                            if (gzr != null) {
                                gzr[p] += (float) (gr * dr + gi * di);
                            }
                            if (gzi != null) {
                                gzi[p] += (float) (gi * dr - gr * di);
                            }
                        }
                    }
                    if (gu != null) {
                        for (int j = 0; j < steps; j++) {
                            gu[(b * steps + j) * channels + h] += (float) guRow[j];
                        }
                    }
                }
            });
        }, u, zRe, zIm, bRe, bIm, x0Re, x0Im);
    }
}
