package dev.recur.tasks.chaos;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.fft.Fft;
import dev.recur.core.random.Rng;
import dev.recur.tasks.series.TimeSeries;

/**
 * The Kuramoto-Sivashinsky equation {@code u_t = -u u_x - u_xx - u_xxxx} on a periodic domain of length
 * {@code L}, discretised on {@code N} points and integrated in Fourier space with the fourth-order exponential
 * time-differencing Runge-Kutta scheme (ETDRK4) of Cox and Matthews 2002, with its coefficients computed by contour
 * integrals as Kassam and Trefethen 2005 ("Fourth-order time-stepping for stiff PDEs") describe, so that they stay
 * accurate where the linear operator is near zero.
 *
 * <p>In Fourier space {@code v_t = L v + N(v)} with {@code L = k^2 - k^4} and {@code N(v) = -(i k / 2) F[(F^-1 v)^2]};
 * the Nyquist wavenumber is set to zero. The spatial mean is conserved. With {@code L = 22} the dynamics are chaotic
 * with largest Lyapunov exponent about 0.043 per time unit (Edson et al. 2019, "Lyapunov exponents of the
 * Kuramoto-Sivashinsky PDE").
 *
 * @param domain the domain length {@code L}
 * @param grid the number of grid points {@code N}, a power of two, at least 8
 * @param step the ETDRK4 step {@code h}
 * @param stepsPerSample steps between recorded samples
 */
public record KuramotoSivashinsky(double domain, int grid, double step, int stepsPerSample) {
    public static final double LYAPUNOV_22 = 0.043;
    public static final KuramotoSivashinsky STANDARD = new KuramotoSivashinsky(22, 64, 0.25, 1);
    /** Contour points for the coefficients (Kassam and Trefethen use 16 on the upper half circle; we use 32). */
    private static final int CONTOUR = 32;

    public KuramotoSivashinsky {
        if (grid < 8 || Integer.bitCount(grid) != 1) {
            throw new RecurException("kuramoto-sivashinsky: grid expected a power of two >= 8, got " + grid);
        }
        if (!(domain > 0) || !(step > 0) || stepsPerSample < 1) {
            throw new RecurException("kuramoto-sivashinsky: expected domain > 0, step > 0, steps per sample >= 1, got "
                    + "domain " + domain + ", step " + step + ", steps per sample " + stepsPerSample);
        }
    }

    public double sampleInterval() {
        return step * stepsPerSample;
    }

    /** 0.043 for {@code L = 22}, else NaN. */
    public double lyapunovExponent() {
        return domain == 22 ? LYAPUNOV_22 : Double.NaN;
    }

    /** The wavenumber of each Fourier index (FFT order), with the Nyquist index set to 0. */
    public double[] wavenumbers() {
        double[] k = new double[grid];
        for (int j = 0; j < grid; j++) {
            int m = j < grid / 2 ? j : j == grid / 2 ? 0 : j - grid;
            k[j] = 2 * Math.PI * m / domain;
        }
        return k;
    }

    /** The ETDRK4 stepper for this grid and step. */
    public Stepper stepper() {
        return new Stepper(this);
    }

    /**
     * A trajectory of {@code samples} samples of the field (each {@code grid} values), recorded after
     * {@code warmup} time units from a small random field made of the four lowest modes.
     */
    public TimeSeries simulate(int samples, double warmup, long seed) {
        Rng rng = new Rng(seed);
        double[] u = new double[grid];
        for (int m = 1; m <= 4; m++) {
            double a = 0.1 * rng.nextGaussian();
            double b = 0.1 * rng.nextGaussian();
            for (int j = 0; j < grid; j++) {
                double x = 2 * Math.PI * m * j / grid;
                u[j] += a * Math.cos(x) + b * Math.sin(x);
            }
        }
        Stepper s = stepper();
        s.set(u);
        long warm = Math.round(warmup / step);
        for (long i = 0; i < warm; i++) {
            s.step();
        }
        double[] out = new double[samples * grid];
        for (int t = 0; t < samples; t++) {
            s.field(out, t * grid);
            for (int i = 0; i < stepsPerSample; i++) {
                s.step();
            }
        }
        return new TimeSeries("kuramoto-sivashinsky", out, grid, sampleInterval());
    }

    /** ETDRK4 state and coefficients; {@link #set} a field, {@link #step} it, read it with {@link #field}. */
    public static final class Stepper {
        private final int n;
        private final double[] k;
        private final double[] e;
        private final double[] e2;
        private final double[] q;
        private final double[] f1;
        private final double[] f2;
        private final double[] f3;
        private final double[] vr;
        private final double[] vi;
        private final double[][] work = new double[14][];

        Stepper(KuramotoSivashinsky ks) {
            n = ks.grid();
            k = ks.wavenumbers();
            double h = ks.step();
            e = new double[n];
            e2 = new double[n];
            q = new double[n];
            f1 = new double[n];
            f2 = new double[n];
            f3 = new double[n];
            for (int j = 0; j < n; j++) {
                double lin = k[j] * k[j] - k[j] * k[j] * k[j] * k[j];
                e[j] = Math.exp(h * lin);
                e2[j] = Math.exp(h * lin / 2);
                double[] c = contourMeans(h * lin);
                q[j] = h * c[0];
                f1[j] = h * c[1];
                f2[j] = h * c[2];
                f3[j] = h * c[3];
            }
            vr = new double[n];
            vi = new double[n];
            for (int i = 0; i < work.length; i++) {
                work[i] = new double[n];
            }
        }

        /**
         * The real parts of the means over points {@code z = x + r} on the upper unit half circle of
         * {@code (e^{z/2} - 1)/z} and of the three ETDRK4 weights over {@code z^3}.
         */
        private static double[] contourMeans(double x) {
            double[] sum = new double[4];
            for (int m = 1; m <= CONTOUR; m++) {
                double angle = Math.PI * (m - 0.5) / CONTOUR;
                Complex z = new Complex(x + Math.cos(angle), Math.sin(angle));
                Complex ez = z.exp();
                Complex z3 = z.times(z).times(z);
                Complex one = new Complex(1, 0);
                sum[0] += z.scale(0.5).exp().minus(one).div(z).re();
                Complex a = new Complex(-4, 0).minus(z)
                        .plus(ez.times(new Complex(4, 0).minus(z.scale(3)).plus(z.times(z))));
                sum[1] += a.div(z3).re();
                Complex b = new Complex(2, 0).plus(z).plus(ez.times(new Complex(-2, 0).plus(z)));
                sum[2] += b.div(z3).re();
                Complex c = new Complex(-4, 0).minus(z.scale(3)).minus(z.times(z))
                        .plus(ez.times(new Complex(4, 0).minus(z)));
                sum[3] += c.div(z3).re();
            }
            for (int i = 0; i < 4; i++) {
                sum[i] /= CONTOUR;
            }
            return sum;
        }

        /** Sets the field to {@code u} ({@code grid} values). */
        public void set(double[] u) {
            if (u.length != n) {
                throw new RecurException("kuramoto-sivashinsky: expected a field of " + n + " values, got " + u.length);
            }
            System.arraycopy(u, 0, vr, 0, n);
            java.util.Arrays.fill(vi, 0);
            Fft.transform(vr, vi, false);
            symmetrize(vr, vi);
        }

        /**
         * Makes a spectrum exactly Hermitian ({@code v[n-j] = conj(v[j])}), as the spectrum of a real field is. The
         * FFT's rounding differs between {@code j} and {@code n-j}; left alone, that difference is an imaginary field
         * that the linearly unstable long waves amplify by {@code e^(0.2 t)} until it swamps the real one.
         */
        private void symmetrize(double[] re, double[] im) {
            im[0] = 0;
            im[n / 2] = 0;
            for (int j = 1; j < n / 2; j++) {
                double r = 0.5 * (re[j] + re[n - j]);
                double i = 0.5 * (im[j] - im[n - j]);
                re[j] = r;
                re[n - j] = r;
                im[j] = i;
                im[n - j] = -i;
            }
        }

        /** Writes the field into {@code out} from {@code offset}. */
        public void field(double[] out, int offset) {
            double[] re = work[12];
            double[] im = work[13];
            System.arraycopy(vr, 0, re, 0, n);
            System.arraycopy(vi, 0, im, 0, n);
            Fft.transform(re, im, true);
            System.arraycopy(re, 0, out, offset, n);
        }

        /** {@code N(v) = -(i k / 2) F[(Re F^-1 v)^2]} into {@code (outR, outI)}. */
        private void nonlinear(double[] inR, double[] inI, double[] outR, double[] outI) {
            System.arraycopy(inR, 0, outR, 0, n);
            System.arraycopy(inI, 0, outI, 0, n);
            Fft.transform(outR, outI, true);
            for (int j = 0; j < n; j++) {
                outR[j] = outR[j] * outR[j];
                outI[j] = 0;
            }
            Fft.transform(outR, outI, false);
            symmetrize(outR, outI);
            for (int j = 0; j < n; j++) {
                double r = outR[j];
                outR[j] = 0.5 * k[j] * outI[j];
                outI[j] = -0.5 * k[j] * r;
            }
        }

        /** One ETDRK4 step. */
        public void step() {
            double[] nvR = work[0];
            double[] nvI = work[1];
            double[] aR = work[2];
            double[] aI = work[3];
            double[] naR = work[4];
            double[] naI = work[5];
            double[] bR = work[6];
            double[] bI = work[7];
            double[] nbR = work[8];
            double[] nbI = work[9];
            double[] cR = work[10];
            double[] cI = work[11];
            nonlinear(vr, vi, nvR, nvI);
            for (int j = 0; j < n; j++) {
                aR[j] = e2[j] * vr[j] + q[j] * nvR[j];
                aI[j] = e2[j] * vi[j] + q[j] * nvI[j];
            }
            nonlinear(aR, aI, naR, naI);
            for (int j = 0; j < n; j++) {
                bR[j] = e2[j] * vr[j] + q[j] * naR[j];
                bI[j] = e2[j] * vi[j] + q[j] * naI[j];
            }
            nonlinear(bR, bI, nbR, nbI);
            for (int j = 0; j < n; j++) {
                cR[j] = e2[j] * aR[j] + q[j] * (2 * nbR[j] - nvR[j]);
                cI[j] = e2[j] * aI[j] + q[j] * (2 * nbI[j] - nvI[j]);
            }
            // a is not needed any more: N(c) goes into its arrays
            nonlinear(cR, cI, aR, aI);
            for (int j = 0; j < n; j++) {
                vr[j] = e[j] * vr[j] + f1[j] * nvR[j] + 2 * f2[j] * (naR[j] + nbR[j]) + f3[j] * aR[j];
                vi[j] = e[j] * vi[j] + f1[j] * nvI[j] + 2 * f2[j] * (naI[j] + nbI[j]) + f3[j] * aI[j];
            }
        }
    }

    /** Just enough complex arithmetic for the contour integrals. */
    private record Complex(double re, double im) {
        Complex plus(Complex o) {
            return new Complex(re + o.re, im + o.im);
        }

        Complex minus(Complex o) {
            return new Complex(re - o.re, im - o.im);
        }

        Complex times(Complex o) {
            return new Complex(re * o.re - im * o.im, re * o.im + im * o.re);
        }

        Complex scale(double s) {
            return new Complex(re * s, im * s);
        }

        Complex div(Complex o) {
            double d = o.re * o.re + o.im * o.im;
            return new Complex((re * o.re + im * o.im) / d, (im * o.re - re * o.im) / d);
        }

        Complex exp() {
            double m = Math.exp(re);
            return new Complex(m * Math.cos(im), m * Math.sin(im));
        }
    }
}
