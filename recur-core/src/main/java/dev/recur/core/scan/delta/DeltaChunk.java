package dev.recur.core.scan.delta;

import dev.recur.core.kernel.gemm.Gemm;

/**
 * The per-chunk quantities of the chunked delta rule for one (batch entry, head), in a workspace reused from
 * chunk to chunk: {@link #prepare} fills them from the inputs and the state entering the chunk; the forward
 * ({@link DeltaChunked}) and the backward ({@link DeltaChunkedBackward}) both start from here. Row strides are
 * the widths: {@code [L, L]} arrays use the chunk's length {@code len}.
 */
final class DeltaChunk {
    final DeltaInputs in;
    final int bi;
    final int h;
    final int nk;
    final int nv;
    final int ldk; // row stride of q and k over time: [B, T, H, K]
    final int ldv; // row stride of v and o over time: [B, T, H, V]
    int len;
    int row0; // index of [B, T, H] at the chunk's start
    int kOff;
    int vOff;
    final float[] gamma;  // [L] cumulative log gate from the chunk's start
    final float[] keys;   // [L, L] K K^T
    final float[] ut;     // [L, L] T = (I + M)^-1
    final float[] scores; // [L, L] A = scale (Q K^T . exp(gamma_t - gamma_tau)), lower triangle with diagonal
    final float[] vBeta;  // [L, V] beta v
    final float[] kBeta;  // [L, K] -beta Gamma k
    final float[] delta;  // [L, V] Delta = U - W S_in
    final float[] w;      // [L, K] -W
    final float[] qIn;    // [L, K] scale Gamma q
    final float[] kOut;   // [L, K] (Gamma_end / Gamma) k

    DeltaChunk(DeltaInputs in, int bi, int h, int chunk) {
        this.in = in;
        this.bi = bi;
        this.h = h;
        this.nk = in.keyDim();
        this.nv = in.valueDim();
        this.ldk = in.heads() * nk;
        this.ldv = in.heads() * nv;
        gamma = new float[chunk];
        keys = new float[chunk * chunk];
        ut = new float[chunk * chunk];
        scores = new float[chunk * chunk];
        vBeta = new float[chunk * nv];
        kBeta = new float[chunk * nk];
        delta = new float[chunk * nv];
        w = new float[chunk * nk];
        qIn = new float[chunk * nk];
        kOut = new float[chunk * nk];
    }

    float beta(int t) {
        return in.beta()[row0 + t * in.heads()];
    }

    /** exp(gamma_t - gamma_tau), the decay from tau to t inside the chunk. */
    float decay(int t, int tau) {
        return in.logGate() == null ? 1f : (float) Math.exp(gamma[t] - gamma[tau]);
    }

    /** Fills every per-chunk quantity for steps {@code [s, s + len)} entering with {@code state [K, V]}. */
    void prepare(int s, int length, float[] state) {
        len = length;
        row0 = (bi * in.seqLen() + s) * in.heads() + h;
        kOff = row0 * nk;
        vOff = row0 * nv;
        float acc = 0f;
        for (int t = 0; t < len; t++) {
            acc += in.logGate() == null ? 0f : in.logGate()[row0 + t * in.heads()];
            gamma[t] = acc;
        }
        Gemm.sgemm(false, true, len, len, nk, in.k(), kOff, ldk, in.k(), kOff, ldk, keys, 0, len, false);
        substitute();
        float gEnd = gamma[len - 1];
        for (int t = 0; t < len; t++) {
            float beta = beta(t);
            float decayIn = (float) Math.exp(gamma[t]);
            float toEnd = (float) Math.exp(gEnd - gamma[t]);
            for (int j = 0; j < nv; j++) {
                vBeta[t * nv + j] = beta * in.v()[vOff + t * ldv + j];
            }
            for (int d = 0; d < nk; d++) {
                float kd = in.k()[kOff + t * ldk + d];
                kBeta[t * nk + d] = -beta * decayIn * kd;
                qIn[t * nk + d] = in.scale() * decayIn * in.q()[kOff + t * ldk + d];
                kOut[t * nk + d] = toEnd * kd;
            }
        }
        // U = T vBeta, -W = T kBeta, Delta = U + (-W) S_in
        Gemm.sgemm(false, false, len, nv, len, ut, 0, len, vBeta, 0, nv, delta, 0, nv, false);
        Gemm.sgemm(false, false, len, nk, len, ut, 0, len, kBeta, 0, nk, w, 0, nk, false);
        Gemm.sgemm(false, false, len, nv, nk, w, 0, nk, state, 0, nv, delta, 0, nv, true);
        Gemm.sgemm(false, true, len, len, nk, in.q(), kOff, ldk, in.k(), kOff, ldk, scores, 0, len, false);
        for (int t = 0; t < len; t++) {
            for (int tau = 0; tau < len; tau++) {
                int at = t * len + tau;
                scores[at] = tau <= t ? in.scale() * scores[at] * decay(t, tau) : 0f;
            }
        }
    }

    /**
     * The UT transform {@code ut = (I + M)^-1} with {@code M[t, tau] = beta_t (k_t . k_tau) exp(gamma_t -
     * gamma_tau)} for {@code tau < t}, by forward substitution: row t of the inverse is
     * {@code e_t - sum_{tau < t} M[t, tau] ut[tau]}.
     */
    private void substitute() {
        for (int t = 0; t < len; t++) {
            float beta = beta(t);
            int r = t * len;
            for (int c = 0; c < len; c++) {
                ut[r + c] = 0f;
            }
            for (int tau = 0; tau < t; tau++) {
                float m = beta * keys[r + tau] * decay(t, tau);
                int p = tau * len;
                for (int c = 0; c <= tau; c++) {
                    ut[r + c] = Math.fma(-m, ut[p + c], ut[r + c]);
                }
            }
            ut[r + t] = 1f;
        }
    }
}
