package dev.recur.core.scan.wkv;

import dev.recur.core.kernel.KernelMode;
import dev.recur.core.kernel.elementwise.Elementwise;
import dev.recur.core.kernel.elementwise.ElementwiseKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The WKV forward with SIMD over channels: per token, one pass forms the four exponents, the SIMD exponential
 * kernel evaluates them in place, and a second pass combines them into the output and the new state. The
 * operations and their order are those of {@link WkvReference} (same exponential, same fused multiply-adds), so
 * both agree bit for bit. The backward is the reference's: it runs only when training.
 */
public final class WkvVector implements WkvKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final WkvReference REFERENCE = new WkvReference();

    private final ElementwiseKernel exp = Elementwise.kernel(KernelMode.VECTOR);

    @Override
    public void forward(int batch, int steps, int channels, float[] w, float[] u, float[] k, float[] v,
                        float[] a0, float[] b0, float[] p0, float[] y, float[] aT, float[] bT, float[] pT,
                        WkvTrace trace) {
        int d = channels;
        int bound = S.loopBound(d);
        float[] a = new float[d];
        float[] b = new float[d];
        float[] p = new float[d];
        // Per token: the exponents (p - q), (u + k - q), (p + w - q'), (k - q') and then their exponentials.
        float[] x = new float[4 * d];
        // The maxima q' of the token, kept until the state is updated: [D].
        float[] q2s = new float[d];
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
                int c = 0;
                for (; c < bound; c += S.length()) {
                    FloatVector kc = FloatVector.fromArray(S, k, row + c);
                    FloatVector pc = FloatVector.fromArray(S, p, c);
                    FloatVector uk = kc.add(FloatVector.fromArray(S, u, c));
                    FloatVector q = pc.max(uk);
                    FloatVector pw = pc.add(FloatVector.fromArray(S, w, c));
                    FloatVector q2 = pw.max(kc);
                    pc.sub(q).intoArray(x, c);
                    uk.sub(q).intoArray(x, d + c);
                    pw.sub(q2).intoArray(x, 2 * d + c);
                    kc.sub(q2).intoArray(x, 3 * d + c);
                    q2.intoArray(q2s, c);
                }
                for (; c < d; c++) {
                    float kc = k[row + c];
                    float uk = kc + u[c];
                    float q = Math.max(p[c], uk);
                    float pw = p[c] + w[c];
                    float q2 = Math.max(pw, kc);
                    x[c] = p[c] - q;
                    x[d + c] = uk - q;
                    x[2 * d + c] = pw - q2;
                    x[3 * d + c] = kc - q2;
                    q2s[c] = q2;
                }
                exp.exp(x, 0, x, 0, 4 * d);
                c = 0;
                for (; c < bound; c += S.length()) {
                    FloatVector e1 = FloatVector.fromArray(S, x, c);
                    FloatVector e2 = FloatVector.fromArray(S, x, d + c);
                    FloatVector f1 = FloatVector.fromArray(S, x, 2 * d + c);
                    FloatVector f2 = FloatVector.fromArray(S, x, 3 * d + c);
                    FloatVector vc = FloatVector.fromArray(S, v, row + c);
                    FloatVector ac = FloatVector.fromArray(S, a, c);
                    FloatVector bc = FloatVector.fromArray(S, b, c);
                    FloatVector num = e1.fma(ac, e2.mul(vc));
                    FloatVector den = e1.fma(bc, e2);
                    num.div(den).intoArray(y, row + c);
                    f1.fma(ac, f2.mul(vc)).intoArray(a, c);
                    f1.fma(bc, f2).intoArray(b, c);
                }
                for (; c < d; c++) {
                    float e1 = x[c];
                    float e2 = x[d + c];
                    float f1 = x[2 * d + c];
                    float f2 = x[3 * d + c];
                    float vc = v[row + c];
                    float num = Math.fma(e1, a[c], e2 * vc);
                    float den = Math.fma(e1, b[c], e2);
                    y[row + c] = num / den;
                    a[c] = Math.fma(f1, a[c], f2 * vc);
                    b[c] = Math.fma(f1, b[c], f2);
                }
                System.arraycopy(q2s, 0, p, 0, d);
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
        REFERENCE.backward(batch, steps, channels, w, u, k, v, trace, gy, gaT, gbT, gpT,
                gw, gu, gk, gv, ga0, gb0, gp0);
    }
}
