package dev.recur.core.scan.ssd;

import dev.recur.core.kernel.gemm.Gemm;
import dev.recur.core.scan.ScanParallel;

/**
 * The backward of {@link SsdChunked}, chunk by chunk from last to first, with matrix products for every sum
 * over a chunk. For one chunk with carried-in state {@code S_in}, {@code W[t, tau] = (C_t . B_tau)
 * exp(cum_t - cum_tau) dt_tau} (tau <= t) and {@code V_tau = exp(cum_end - cum_tau) dt_tau}, and upstream
 * gradients {@code gY} and {@code gS} (of the chunk's outputs and its final state):
 * <pre>
 *   gX  = W^T gY + D gY + V * (B gS^T)            gW = gY X^T (masked)
 *   gC  = (gW E dt) B + exp(cum) * (gY S_in)      gB = (gW E dt)^T C + V * (X gS)
 *   gS_in = exp(cum)^T-weighted gY^T C + exp(cum_end) gS
 * </pre>
 * and the gradients of the log-decays {@code cum} are chained into {@code dt} and {@code A} through
 * {@code cum_t = A * (dt_s + ... + dt_t)}. States entering each chunk are recomputed first (one state-passing
 * sweep, {@code chunks * P * N} floats per task). Tasks are (batch entry, head); B and C gradients are kept per
 * head and summed over each group's heads in a fixed order, so results do not depend on the thread count.
 */
final class SsdChunkedBackward {
    private SsdChunkedBackward() {}

    static void backward(SsdInputs in, int chunk, float[] gy, float[] ghT, SsdGrads grads) {
        int batch = in.batch();
        int heads = in.heads();
        int seqLen = in.seqLen();
        int n = in.dState();
        float[] gbHead = new float[batch * seqLen * heads * n]; // [B, T, H, N]
        float[] gcHead = new float[batch * seqLen * heads * n];
        float[] gaPart = new float[batch * heads];              // [B, H]
        float[] gdPart = new float[batch * heads];
        ScanParallel.parallelFor(batch * heads, task -> new Task(in, chunk, task / heads, task % heads, gy, ghT,
                grads, gbHead, gcHead, gaPart, gdPart).run());
        int groups = in.groups();
        int perGroup = heads / groups;
        for (int bt = 0; bt < batch * seqLen; bt++) {
            for (int h = 0; h < heads; h++) {
                int from = (bt * heads + h) * n;
                int to = (bt * groups + h / perGroup) * n;
                for (int s = 0; s < n; s++) {
                    grads.b()[to + s] += gbHead[from + s];
                    grads.c()[to + s] += gcHead[from + s];
                }
            }
        }
        for (int bi = 0; bi < batch; bi++) {
            for (int h = 0; h < heads; h++) {
                grads.a()[h] += gaPart[bi * heads + h];
                if (grads.dSkip() != null) {
                    grads.dSkip()[h] += gdPart[bi * heads + h];
                }
            }
        }
    }

    /** The backward of one (batch entry, head) pair, with its scratch buffers. */
    private static final class Task {
        private final SsdInputs in;
        private final int chunk;
        private final int bi;
        private final int h;
        private final float[] gy;
        private final float[] ghT;
        private final SsdGrads grads;
        private final float[] gbHead;
        private final float[] gcHead;
        private final float[] gaPart;
        private final float[] gdPart;
        private final int p;
        private final int n;
        private final int heads;
        private final int ldx;
        private final int ldb;
        private final int ldh;

        Task(SsdInputs in, int chunk, int bi, int h, float[] gy, float[] ghT, SsdGrads grads, float[] gbHead,
             float[] gcHead, float[] gaPart, float[] gdPart) {
            this.in = in;
            this.chunk = chunk;
            this.bi = bi;
            this.h = h;
            this.gy = gy;
            this.ghT = ghT;
            this.grads = grads;
            this.gbHead = gbHead;
            this.gcHead = gcHead;
            this.gaPart = gaPart;
            this.gdPart = gdPart;
            this.p = in.headDim();
            this.n = in.dState();
            this.heads = in.heads();
            this.ldx = heads * p;
            this.ldb = in.groups() * n;
            this.ldh = heads * n;
        }

        private int dtAt(int t) {
            return (bi * in.seqLen() + t) * heads + h; // [B, T, H]
        }

        private int bOff(int t) {
            return ((bi * in.seqLen() + t) * in.groups() + in.groupOf(h)) * n; // [B, T, G, N]
        }

        /** Fills {@code cum} (A times the running sum of dt) and {@code pre} (the running sum) over a chunk. */
        private void cumulative(int s, int len, float[] cum, float[] pre) {
            float a = in.a()[h];
            float acc = 0f;
            float sum = 0f;
            for (int k = 0; k < len; k++) {
                float dt = in.dt()[dtAt(s + k)];
                acc += dt * a;
                sum += dt;
                cum[k] = acc;
                pre[k] = sum;
            }
        }

        void run() {
            int seqLen = in.seqLen();
            int pn = p * n;
            int chunks = (seqLen + chunk - 1) / chunk;
            float[] states = new float[(chunks + 1) * pn]; // [chunks+1, P, N]: the state entering each chunk
            if (in.h0() != null) {
                System.arraycopy(in.h0(), (bi * heads + h) * pn, states, 0, pn);
            }
            float[] cum = new float[chunk];
            float[] pre = new float[chunk];
            float[] lxl = new float[chunk * chunk];
            float[] lxl2 = new float[chunk * chunk];
            float[] lxl3 = new float[chunk * chunk];
            float[] lxp = new float[chunk * p];
            float[] lxp2 = new float[chunk * p];
            float[] lxn = new float[chunk * n];
            float[] gcum = new float[chunk];
            float[] gdt = new float[chunk];
            for (int ci = 0; ci < chunks; ci++) {
                int s = ci * chunk;
                int len = Math.min(chunk, seqLen - s);
                cumulative(s, len, cum, pre);
                System.arraycopy(states, ci * pn, states, (ci + 1) * pn, pn);
                float decayAll = (float) Math.exp(cum[len - 1]);
                for (int k = 0; k < pn; k++) {
                    states[(ci + 1) * pn + k] *= decayAll;
                }
                int xOff = dtAt(s) * p;
                for (int t = 0; t < len; t++) {
                    float w = (float) Math.exp(cum[len - 1] - cum[t]) * in.dt()[dtAt(s + t)];
                    for (int i = 0; i < p; i++) {
                        lxp[t * p + i] = in.x()[xOff + t * ldx + i] * w;
                    }
                }
                Gemm.sgemm(true, false, p, n, len, lxp, 0, p, in.b(), bOff(s), ldb, states, (ci + 1) * pn, n, true);
            }
            float[] gs = new float[pn];
            if (ghT != null) {
                System.arraycopy(ghT, (bi * heads + h) * pn, gs, 0, pn);
            }
            float[] gsIn = new float[pn];
            for (int ci = chunks - 1; ci >= 0; ci--) {
                int s = ci * chunk;
                int len = Math.min(chunk, seqLen - s);
                cumulative(s, len, cum, pre);
                java.util.Arrays.fill(gcum, 0, len, 0f);
                java.util.Arrays.fill(gdt, 0, len, 0f);
                chunkBackward(s, len, ci * pn, states, cum, gs, gsIn, lxl, lxl2, lxl3, lxp, lxp2, lxn, gcum, gdt);
                // cum_t = A * pre_t: gradients of the log-decays flow to every earlier dt of the chunk and to A.
                float a = in.a()[h];
                float suffix = 0f;
                float ga = 0f;
                for (int k = len - 1; k >= 0; k--) {
                    suffix += gcum[k];
                    ga += gcum[k] * pre[k];
                    grads.dt()[dtAt(s + k)] += gdt[k] + a * suffix;
                }
                gaPart[bi * heads + h] += ga;
                System.arraycopy(gsIn, 0, gs, 0, pn);
            }
            if (grads.h0() != null) {
                for (int k = 0; k < pn; k++) {
                    grads.h0()[(bi * heads + h) * pn + k] += gs[k];
                }
            }
        }

        /** One chunk: adds into x, B, C, D gradients; fills gcum, gdt (direct) and gsIn. */
        private void chunkBackward(int s, int len, int stateOff, float[] states, float[] cum, float[] gs,
                                   float[] gsIn, float[] cb, float[] gw, float[] wt, float[] gyScaled, float[] r,
                                   float[] xg, float[] gcum, float[] gdt) {
            int xOff = dtAt(s) * p;
            int bOff = bOff(s);
            int hOff = dtAt(s) * n; // [B, T, H, N]
            float[] x = in.x();
            Gemm.sgemm(false, true, len, len, n, in.c(), bOff, ldb, in.b(), bOff, ldb, cb, 0, len, false);
            Gemm.sgemm(false, true, len, len, p, gy, xOff, ldx, x, xOff, ldx, gw, 0, len, false);
            // wt = W (the masked, decayed scores); gw becomes gW * E * dt_tau, the gradient of C_t . B_tau.
            for (int t = 0; t < len; t++) {
                for (int tau = 0; tau < len; tau++) {
                    int at = t * len + tau;
                    if (tau > t) {
                        wt[at] = 0f;
                        gw[at] = 0f;
                        continue;
                    }
                    float dtTau = in.dt()[dtAt(s + tau)];
                    float e = (float) Math.exp(cum[t] - cum[tau]);
                    float w = cb[at] * e * dtTau;
                    float g = gw[at];
                    wt[at] = w;
                    gdt[tau] += g * cb[at] * e;
                    gcum[t] += g * w;
                    gcum[tau] -= g * w;
                    gw[at] = g * e * dtTau;
                }
            }
            Gemm.sgemm(true, false, len, p, len, wt, 0, len, gy, xOff, ldx, grads.x(), xOff, ldx, true);
            Gemm.sgemm(false, false, len, n, len, gw, 0, len, in.b(), bOff, ldb, gcHead, hOff, ldh, true);
            Gemm.sgemm(true, false, len, n, len, gw, 0, len, in.c(), bOff, ldb, gbHead, hOff, ldh, true);
            // The carried-in state: y_t += exp(cum_t) S_in C_t.
            Gemm.sgemm(false, true, len, p, n, in.c(), bOff, ldb, states, stateOff, n, r, 0, p, false);
            float dSkip = in.dSkip() == null ? 0f : in.dSkip()[h];
            float gd = 0f;
            for (int t = 0; t < len; t++) {
                float decayIn = (float) Math.exp(cum[t]);
                int row = xOff + t * ldx;
                float dot = 0f;
                for (int i = 0; i < p; i++) {
                    float g = gy[row + i];
                    dot += g * r[t * p + i];
                    gyScaled[t * p + i] = g * decayIn;
                    gd += g * x[row + i];
                    grads.x()[row + i] += dSkip * g;
                }
                gcum[t] += decayIn * dot;
            }
            if (in.dSkip() != null) {
                gdPart[bi * heads + h] += gd;
            }
            Gemm.sgemm(false, false, len, n, p, gyScaled, 0, p, states, stateOff, n, gcHead, hOff, ldh, true);
            Gemm.sgemm(true, false, p, n, len, gyScaled, 0, p, in.c(), bOff, ldb, gsIn, 0, n, false);
            // The state passed on: S_out = exp(cum_end) S_in + sum_tau V_tau x_tau B_tau^T.
            float cumEnd = cum[len - 1];
            float decayAll = (float) Math.exp(cumEnd);
            float gEnd = 0f;
            for (int k = 0; k < gsIn.length; k++) {
                gEnd += gs[k] * states[stateOff + k];
                gsIn[k] = Math.fma(decayAll, gs[k], gsIn[k]);
            }
            gcum[len - 1] += decayAll * gEnd;
            Gemm.sgemm(false, true, len, p, n, in.b(), bOff, ldb, gs, 0, n, r, 0, p, false);
            Gemm.sgemm(false, false, len, n, p, x, xOff, ldx, gs, 0, n, xg, 0, n, false);
            for (int tau = 0; tau < len; tau++) {
                float toEnd = (float) Math.exp(cumEnd - cum[tau]);
                float dtTau = in.dt()[dtAt(s + tau)];
                float v = toEnd * dtTau;
                int row = xOff + tau * ldx;
                float gv = 0f;
                for (int i = 0; i < p; i++) {
                    gv += x[row + i] * r[tau * p + i];
                    grads.x()[row + i] += v * r[tau * p + i];
                }
                for (int k = 0; k < n; k++) {
                    gbHead[hOff + tau * ldh + k] += v * xg[tau * n + k];
                }
                gdt[tau] += gv * toEnd;
                gcum[len - 1] += gv * v;
                gcum[tau] -= gv * v;
            }
        }
    }
}
