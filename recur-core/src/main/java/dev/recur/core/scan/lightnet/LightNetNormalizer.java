package dev.recur.core.scan.lightnet;

import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * LightNet's running normaliser as one differentiable op with three outputs. Per (batch, head, key dimension),
 * from the log normaliser {@code z_{-1}} ({@code z0}, or minus infinity when null):
 * <pre>
 *   z_t  = log(exp(z_{t-1}) + exp(k_t))
 *   kn_t = exp(k_t - z_t)            (in (0, 1])
 *   g_t  = z_{t-1} - z_t             (<= 0; 0 at t = 0 without z0, where there is no earlier state to decay)
 * </pre>
 * returning {@code {kn [B, T, H, K], g [B, T, H, K], zT [B, H, K]}}. The backward runs the chain rule through
 * the log-sum-exp recursion from the last step to the first.
 */
final class LightNetNormalizer {
    private LightNetNormalizer() {}

    static Tensor[] apply(String op, Tensor k, Tensor z0) {
        Shapes.requireRank(op, "k [batch, seqLen, heads, keyDim]", k, 4);
        int batch = k.dim(0);
        int seqLen = k.dim(1);
        int row = k.dim(2) * k.dim(3); // heads * keyDim, the stride of one step
        if (z0 != null) {
            Shapes.require(op, "z0 [batch, heads, keyDim]", new int[] {batch, k.dim(2), k.dim(3)}, z0.shape());
        }
        float[] kd = k.data();
        float[] kn = new float[kd.length];
        float[] g = new float[kd.length];
        float[] z = new float[kd.length];
        float[] zT = new float[batch * row];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < row; i++) {
                float prev = z0 == null ? Float.NEGATIVE_INFINITY : z0.data()[b * row + i];
                for (int t = 0; t < seqLen; t++) {
                    int at = (b * seqLen + t) * row + i;
                    float cur = logAddExp(prev, kd[at]);
                    z[at] = cur;
                    kn[at] = (float) Math.exp(kd[at] - cur);
                    g[at] = prev == Float.NEGATIVE_INFINITY ? 0f : prev - cur;
                    prev = cur;
                }
                zT[b * row + i] = prev;
            }
        }
        Tensor[] inputs = z0 == null ? new Tensor[] {k} : new Tensor[] {k, z0};
        int[] zShape = {batch, k.dim(2), k.dim(3)};
        return Tensor.results(op + ".normalizer", new float[][] {kn, g, zT}, new int[][] {k.shape(), k.shape(), zShape},
                grads -> backward(k, z0, z, kn, grads[0], grads[1], grads[2]), inputs);
    }

    private static void backward(Tensor k, Tensor z0, float[] z, float[] kn, float[] gkn, float[] gg, float[] gzT) {
        float[] dk = k.gradBuffer();
        float[] dz0 = z0 == null ? null : z0.gradBuffer();
        int batch = k.dim(0);
        int seqLen = k.dim(1);
        int row = k.dim(2) * k.dim(3);
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < row; i++) {
                float carry = gzT[b * row + i]; // adjoint of z_t from everything after step t
                for (int t = seqLen - 1; t >= 0; t--) {
                    int at = (b * seqLen + t) * row + i;
                    boolean hasPrev = t > 0 || z0 != null;
                    float dz = carry - kn[at] * gkn[at] - (hasPrev ? gg[at] : 0f);
                    if (dk != null) {
                        dk[at] += kn[at] * (gkn[at] + dz);
                    }
                    float prev = t > 0 ? z[at - row] : z0 == null ? Float.NEGATIVE_INFINITY : z0.data()[b * row + i];
                    carry = hasPrev ? dz * (float) Math.exp(prev - z[at]) + gg[at] : 0f;
                }
                if (dz0 != null) {
                    dz0[b * row + i] += carry;
                }
            }
        }
    }

    private static float logAddExp(float a, float b) {
        if (a == Float.NEGATIVE_INFINITY) {
            return b;
        }
        float hi = Math.max(a, b);
        return hi + (float) Math.log1p(Math.exp(Math.min(a, b) - hi));
    }
}
