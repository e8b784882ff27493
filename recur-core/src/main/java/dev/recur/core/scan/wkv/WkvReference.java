package dev.recur.core.scan.wkv;

import dev.recur.core.kernel.elementwise.FloatMath;

/**
 * The scalar WKV kernel: plain loops in the order transformers' CPU path computes them, the ground truth for
 * {@link WkvVector}. Batch rows and channels are independent; the loop runs over time with the channel innermost
 * so that every access is contiguous. Exponentials use {@link FloatMath#exp} (within about 1 ulp), the formula the
 * SIMD kernel evaluates lane by lane, so that both agree bit for bit.
 */
public final class WkvReference implements WkvKernel {
    @Override
    public void forward(int batch, int steps, int channels, float[] w, float[] u, float[] k, float[] v,
                        float[] a0, float[] b0, float[] p0, float[] y, float[] aT, float[] bT, float[] pT,
                        WkvTrace trace) {
        int d = channels;
        float[] a = new float[d];
        float[] b = new float[d];
        float[] p = new float[d];
        for (int n = 0; n < batch; n++) {
            System.arraycopy(a0, n * d, a, 0, d);
            System.arraycopy(b0, n * d, b, 0, d);
            System.arraycopy(p0, n * d, p, 0, d);
            for (int t = 0; t < steps; t++) {
                int row = (n * steps + t) * d; // [B, T, D]
                if (trace != null) {
                    System.arraycopy(a, 0, trace.a, row, d);
                    System.arraycopy(b, 0, trace.b, row, d);
                    System.arraycopy(p, 0, trace.p, row, d);
                }
                for (int c = 0; c < d; c++) {
                    float kc = k[row + c];
                    float vc = v[row + c];
                    float uk = kc + u[c];
                    float q = Math.max(p[c], uk);
                    float e1 = FloatMath.exp(p[c] - q);
                    float e2 = FloatMath.exp(uk - q);
                    float num = Math.fma(e1, a[c], e2 * vc);
                    float den = Math.fma(e1, b[c], e2);
                    y[row + c] = num / den;
                    float pw = p[c] + w[c];
                    float q2 = Math.max(pw, kc);
                    float f1 = FloatMath.exp(pw - q2);
                    float f2 = FloatMath.exp(kc - q2);
                    a[c] = Math.fma(f1, a[c], f2 * vc);
                    b[c] = Math.fma(f1, b[c], f2);
                    p[c] = q2;
                }
            }
            System.arraycopy(a, 0, aT, n * d, d);
            System.arraycopy(b, 0, bT, n * d, d);
            System.arraycopy(p, 0, pT, n * d, d);
        }
    }

    @Override
    public void backward(int batch, int steps, int channels, float[] w, float[] u, float[] k, float[] v,
                         WkvTrace trace, float[] gy, float[] gaT, float[] gbT, float[] gpT,
                         float[] gw, float[] gu, float[] gk, float[] gv, float[] ga0, float[] gb0, float[] gp0) {
        int d = channels;
        // Running gradients of the state leaving the step being undone: [D].
        float[] ga = new float[d];
        float[] gb = new float[d];
        float[] gp = new float[d];
        // Per-channel parameter gradients summed in double over batch and time.
        double[] gwSum = new double[d];
        double[] guSum = new double[d];
        for (int n = 0; n < batch; n++) {
            System.arraycopy(gaT, n * d, ga, 0, d);
            System.arraycopy(gbT, n * d, gb, 0, d);
            System.arraycopy(gpT, n * d, gp, 0, d);
            for (int t = steps - 1; t >= 0; t--) {
                int row = (n * steps + t) * d; // [B, T, D]
                for (int c = 0; c < d; c++) {
                    float a = trace.a[row + c];
                    float b = trace.b[row + c];
                    float p = trace.p[row + c];
                    float kc = k[row + c];
                    float vc = v[row + c];
                    float uk = kc + u[c];
                    float q = Math.max(p, uk);
                    float e1 = FloatMath.exp(p - q);
                    float e2 = FloatMath.exp(uk - q);
                    float num = Math.fma(e1, a, e2 * vc);
                    float den = Math.fma(e1, b, e2);
                    float pw = p + w[c];
                    float q2 = Math.max(pw, kc);
                    float f1 = FloatMath.exp(pw - q2);
                    float f2 = FloatMath.exp(kc - q2);

                    float gyc = gy[row + c];
                    float gnum = gyc / den;
                    float gden = -gnum * (num / den);
                    // Gradients of the exponents (p - q), (u + k - q), (p + w - q'), (k - q').
                    float s1 = Math.fma(gnum, a, gden * b) * e1;
                    float s2 = Math.fma(gnum, vc, gden) * e2;
                    float t1 = Math.fma(ga[c], a, gb[c] * b) * f1;
                    float t2 = Math.fma(ga[c], vc, gb[c]) * f2;

                    float gkc = s2 + t2;
                    float guc = s2;
                    float gpc = s1 + t1;
                    float gwc = t1;
                    float gq = -(s1 + s2);
                    if (p > uk) {
                        gpc += gq;
                    } else if (p < uk) {
                        gkc += gq;
                        guc += gq;
                    } else {
                        gpc += 0.5f * gq;
                        gkc += 0.5f * gq;
                        guc += 0.5f * gq;
                    }
                    float gq2 = gp[c] - (t1 + t2);
                    if (pw > kc) {
                        gpc += gq2;
                        gwc += gq2;
                    } else if (pw < kc) {
                        gkc += gq2;
                    } else {
                        gpc += 0.5f * gq2;
                        gwc += 0.5f * gq2;
                        gkc += 0.5f * gq2;
                    }
                    if (gk != null) {
                        gk[row + c] += gkc;
                    }
                    if (gv != null) {
                        gv[row + c] += Math.fma(gnum, e2, ga[c] * f2);
                    }
                    guSum[c] += guc;
                    gwSum[c] += gwc;
                    ga[c] = Math.fma(gnum, e1, ga[c] * f1);
                    gb[c] = Math.fma(gden, e1, gb[c] * f1);
                    gp[c] = gpc;
                }
            }
            addRow(ga0, n * d, ga);
            addRow(gb0, n * d, gb);
            addRow(gp0, n * d, gp);
        }
        for (int c = 0; c < d; c++) {
            if (gw != null) {
                gw[c] += (float) gwSum[c];
            }
            if (gu != null) {
                gu[c] += (float) guSum[c];
            }
        }
    }

    private static void addRow(float[] dst, int offset, float[] src) {
        if (dst == null) {
            return;
        }
        for (int c = 0; c < src.length; c++) {
            dst[offset + c] += src[c];
        }
    }
}
