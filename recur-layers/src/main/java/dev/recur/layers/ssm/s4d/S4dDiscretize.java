package dev.recur.layers.ssm.s4d;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * The differentiable discretisation of S4D's complex diagonal system, channel by channel. Complex numbers are
 * pairs of real tensors. Inputs: {@code logDt [H]}, {@code logNegARe [H, M]} ({@code Re A = -exp(logNegARe)}),
 * {@code aIm [H, M]}, {@code bRe, bIm [H, M]}; outputs {@code Abar} and {@code Bbar} as {@code re, im} pairs,
 * each {@code [H, M]}, by {@link Discretization}'s formulas, computed in double.
 *
 * <p>Backward: with {@code g_z = dL/dRe z + i dL/dIm z}, the gradient of a holomorphic argument {@code u} is
 * {@code g_u = g_z conj(dz/du)} and that of the real {@code dt} is {@code Re(conj(g_z) dz/ddt)}, summed over
 * both outputs.
 */
public final class S4dDiscretize {
    private S4dDiscretize() {}

    /** Returns {@code {abarRe, abarIm, bbarRe, bbarIm}}. */
    public static Tensor[] apply(Discretization method, Tensor logDt, Tensor logNegARe, Tensor aIm, Tensor bRe,
                                 Tensor bIm) {
        String op = "s4d_discretize";
        Shapes.requireRank(op, "logNegARe [H, M]", logNegARe, 2);
        int channels = logNegARe.dim(0);
        int modes = logNegARe.dim(1);
        int[] shape = {channels, modes};
        Shapes.require(op, "logDt", new int[] {channels}, logDt.shape());
        Shapes.require(op, "aIm", shape, aIm.shape());
        Shapes.require(op, "bRe", shape, bRe.shape());
        Shapes.require(op, "bIm", shape, bIm.shape());
        if (method == null) {
            throw new RecurException(op + ": discretization is required (ZOH or BILINEAR)");
        }
        int size = channels * modes;
        float[][] out = new float[4][size];
        double[] d = new double[12];
        for (int h = 0; h < channels; h++) {
            for (int n = 0; n < modes; n++) {
                int i = h * modes + n;
                derivatives(method, logDt.data()[h], logNegARe.data()[i], aIm.data()[i], bRe.data()[i],
                        bIm.data()[i], d);
                out[0][i] = (float) d[0];
                out[1][i] = (float) d[1];
                out[2][i] = (float) d[2];
                out[3][i] = (float) d[3];
            }
        }
        return Tensor.results(op, out, new int[][] {shape, shape, shape, shape}, g -> {
            float[] gLogDt = logDt.gradBuffer();
            float[] gLogNeg = logNegARe.gradBuffer();
            float[] gAIm = aIm.gradBuffer();
            float[] gBRe = bRe.gradBuffer();
            float[] gBIm = bIm.gradBuffer();
            double[] e = new double[12];
            for (int h = 0; h < channels; h++) {
                double dtSum = 0;
                for (int n = 0; n < modes; n++) {
                    int i = h * modes + n;
                    derivatives(method, logDt.data()[h], logNegARe.data()[i], aIm.data()[i], bRe.data()[i],
                            bIm.data()[i], e);
                    double gzr = g[0][i];
                    double gzi = g[1][i];
                    double gbr = g[2][i];
                    double gbi = g[3][i];
                    // g_A = g_z conj(dz/dA) + g_Bbar conj(dBbar/dA)
                    double gar = gzr * e[4] + gzi * e[5] + gbr * e[6] + gbi * e[7];
                    double gai = gzi * e[4] - gzr * e[5] + gbi * e[6] - gbr * e[7];
                    // dL/ddt = Re(conj(g_z) dz/ddt) + Re(conj(g_Bbar) dBbar/ddt)
                    dtSum += gzr * e[8] + gzi * e[9] + gbr * e[10] + gbi * e[11];
                    if (gLogNeg != null) {
                        gLogNeg[i] += (float) (gar * -Math.exp(logNegARe.data()[i]));
                    }
                    if (gAIm != null) {
                        gAIm[i] += (float) gai;
                    }
                    // g_B = g_Bbar conj(f), with f = Bbar / B
                    if (gBRe != null || gBIm != null) {
                        double[] f = factor(method, logDt.data()[h], logNegARe.data()[i], aIm.data()[i]);
                        if (gBRe != null) {
                            gBRe[i] += (float) (gbr * f[0] + gbi * f[1]);
                        }
                        if (gBIm != null) {
                            gBIm[i] += (float) (gbi * f[0] - gbr * f[1]);
                        }
                    }
                }
                if (gLogDt != null) {
                    gLogDt[h] += (float) (dtSum * Math.exp(logDt.data()[h]));
                }
            }
        }, logDt, logNegARe, aIm, bRe, bIm);
    }

    /** {@code f} with {@code Bbar = f B}: {@code (exp(dt A) - 1) / A} (ZOH) or {@code dt / (1 - dt A / 2)}. */
    static double[] factor(Discretization method, double logDt, double logNegARe, double aIm) {
        double[] d = new double[12];
        derivatives(method, logDt, logNegARe, aIm, 1, 0, d);
        return new double[] {d[2], d[3]};
    }

    /**
     * Writes, for one mode: {@code z} (0, 1), {@code Bbar} (2, 3), {@code dz/dA} (4, 5), {@code dBbar/dA} (6, 7),
     * {@code dz/ddt} (8, 9), {@code dBbar/ddt} (10, 11), each as (re, im).
     */
    static void derivatives(Discretization method, double logDt, double logNegARe, double aIm, double bRe,
                            double bIm, double[] out) {
        double dt = Math.exp(logDt);
        double ar = -Math.exp(logNegARe);
        double ai = aIm;
        double zr;
        double zi;
        double fr;
        double fi;
        double dzAr;
        double dzAi;
        double dfAr;
        double dfAi;
        double dzTr;
        double dzTi;
        double dfTr;
        double dfTi;
        if (method == Discretization.ZOH) {
            double mag = Math.exp(dt * ar);
            zr = mag * Math.cos(dt * ai);
            zi = mag * Math.sin(dt * ai);
            double inv = 1 / (ar * ar + ai * ai);
            // f = (z - 1) / A
            fr = ((zr - 1) * ar + zi * ai) * inv;
            fi = (zi * ar - (zr - 1) * ai) * inv;
            dzAr = dt * zr; // dz/dA = dt z
            dzAi = dt * zi;
            // df/dA = (dt z - f) / A
            double nr = dt * zr - fr;
            double ni = dt * zi - fi;
            dfAr = (nr * ar + ni * ai) * inv;
            dfAi = (ni * ar - nr * ai) * inv;
            dzTr = ar * zr - ai * zi; // dz/ddt = A z
            dzTi = ar * zi + ai * zr;
            dfTr = zr; // df/ddt = z
            dfTi = zi;
        } else {
            double xr = 0.5 * dt * ar;
            double xi = 0.5 * dt * ai;
            double denR = 1 - xr;
            double denI = -xi;
            double denSq = denR * denR + denI * denI;
            // 1 / den and 1 / den^2
            double ir = denR / denSq;
            double ii = -denI / denSq;
            double i2r = ir * ir - ii * ii;
            double i2i = 2 * ir * ii;
            zr = (1 + xr) * ir - xi * ii;
            zi = (1 + xr) * ii + xi * ir;
            fr = dt * ir;
            fi = dt * ii;
            dzAr = dt * i2r; // dz/dA = dt / den^2
            dzAi = dt * i2i;
            dfAr = 0.5 * dt * dt * i2r; // df/dA = dt^2 / (2 den^2)
            dfAi = 0.5 * dt * dt * i2i;
            dzTr = ar * i2r - ai * i2i; // dz/ddt = A / den^2
            dzTi = ar * i2i + ai * i2r;
            dfTr = i2r; // df/ddt = 1 / den^2
            dfTi = i2i;
        }
        out[0] = zr;
        out[1] = zi;
        out[2] = fr * bRe - fi * bIm;
        out[3] = fr * bIm + fi * bRe;
        out[4] = dzAr;
        out[5] = dzAi;
        out[6] = dfAr * bRe - dfAi * bIm;
        out[7] = dfAr * bIm + dfAi * bRe;
        out[8] = dzTr;
        out[9] = dzTi;
        out[10] = dfTr * bRe - dfTi * bIm;
        out[11] = dfTr * bIm + dfTi * bRe;
    }
}
