package dev.recur.layers.ssm.s4d;

/**
 * Double-precision ground truth for S4D, written from the equations with plain loops: the discretisation by its
 * closed forms and the recurrence {@code x_t = Abar x_{t-1} + Bbar u_t}, {@code y_t = 2 Re(C x_t) + D u_t}
 * (no Vandermonde, no FFT).
 */
final class S4dTwin {
    private S4dTwin() {}

    /** {@code {zRe, zIm, bbarRe, bbarIm}} for each of the {@code [H, M]} modes. */
    static double[][] discretize(Discretization method, int channels, int modes, double[] logDt, double[] logNeg,
                                 double[] aIm, double[] bRe, double[] bIm) {
        double[][] out = new double[4][channels * modes];
        for (int h = 0; h < channels; h++) {
            double dt = Math.exp(logDt[h]);
            for (int m = 0; m < modes; m++) {
                int i = h * modes + m;
                double ar = -Math.exp(logNeg[i]);
                double ai = aIm[i];
                double zr;
                double zi;
                double fr;
                double fi;
                if (method == Discretization.ZOH) {
                    zr = Math.exp(dt * ar) * Math.cos(dt * ai);
                    zi = Math.exp(dt * ar) * Math.sin(dt * ai);
                    double[] q = div(zr - 1, zi, ar, ai);
                    fr = q[0];
                    fi = q[1];
                } else {
                    double[] q = div(1 + dt * ar / 2, dt * ai / 2, 1 - dt * ar / 2, -dt * ai / 2);
                    zr = q[0];
                    zi = q[1];
                    double[] f = div(dt, 0, 1 - dt * ar / 2, -dt * ai / 2);
                    fr = f[0];
                    fi = f[1];
                }
                out[0][i] = zr;
                out[1][i] = zi;
                out[2][i] = fr * bRe[i] - fi * bIm[i];
                out[3][i] = fr * bIm[i] + fi * bRe[i];
            }
        }
        return out;
    }

    static double[] div(double ar, double ai, double br, double bi) {
        double den = br * br + bi * bi;
        return new double[] {(ar * br + ai * bi) / den, (ai * br - ar * bi) / den};
    }

    /**
     * {@code y [B, T, H]} followed by the final state's real and imaginary parts {@code [B, H, M]} each, from
     * {@code u [B, T, H]} and the initial state {@code s0Re, s0Im [B, H, M]}.
     */
    static double[] run(Discretization method, int batch, int steps, int channels, int modes, double[] u,
                        double[] logDt, double[] logNeg, double[] aIm, double[] cRe, double[] cIm, double[] d,
                        double[] bRe, double[] bIm, double[] s0Re, double[] s0Im) {
        double[][] z = discretize(method, channels, modes, logDt, logNeg, aIm, bRe, bIm);
        int stateSize = batch * channels * modes;
        double[] out = new double[batch * steps * channels + 2 * stateSize];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < channels; h++) {
                for (int m = 0; m < modes; m++) {
                    int p = h * modes + m;
                    int s = (b * channels + h) * modes + m;
                    double xr = s0Re[s];
                    double xi = s0Im[s];
                    for (int t = 0; t < steps; t++) {
                        int at = (b * steps + t) * channels + h;
                        double nr = z[0][p] * xr - z[1][p] * xi + z[2][p] * u[at];
                        xi = z[0][p] * xi + z[1][p] * xr + z[3][p] * u[at];
                        xr = nr;
                        out[at] += 2 * (cRe[p] * xr - cIm[p] * xi);
                    }
                    out[batch * steps * channels + s] = xr;
                    out[batch * steps * channels + stateSize + s] = xi;
                }
                for (int t = 0; t < steps; t++) {
                    int at = (b * steps + t) * channels + h;
                    out[at] += d[h] * u[at];
                }
            }
        }
        return out;
    }
}
