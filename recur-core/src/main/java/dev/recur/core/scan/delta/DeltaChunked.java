package dev.recur.core.scan.delta;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.gemm.Gemm;
import dev.recur.core.scan.ScanParallel;

/**
 * The chunkwise-parallel (gated) delta rule (Yang, Wang, Zhang, Shen and Kim 2024, "Parallelizing Linear
 * Transformers with the Delta Rule over Sequence Length"; with the gate as in Yang, Kautz and Hatamizadeh 2025).
 * Inside a chunk starting from state {@code S_in}, with {@code gamma_t} the cumulative log gate from the chunk's
 * start ({@code Gamma_t = exp(gamma_t)}), the written vectors {@code delta_t} of every step solve one lower
 * triangular system:
 * <pre>
 *   (I + M) Delta = diag(beta) V - diag(beta Gamma) K S_in,   M[t, tau] = beta_t (k_t . k_tau) Gamma_t / Gamma_tau  (tau < t)
 * </pre>
 * so with the UT transform {@code T = (I + M)^-1} (forward substitution per chunk),
 * {@code U = T diag(beta) V} and {@code W = T diag(beta Gamma) K} (the WY representation),
 * {@code Delta = U - W S_in}. Then
 * <pre>
 *   o_t   = scale Gamma_t S_in^T q_t + scale sum_{tau <= t} (q_t . k_tau) (Gamma_t / Gamma_tau) delta_tau
 *   S_out = Gamma_end S_in + sum_tau (Gamma_end / Gamma_tau) k_tau delta_tau^T
 * </pre>
 * Every decay ratio has a non-positive exponent, so nothing overflows. All sums over time and features are
 * {@link Gemm#sgemm} calls; the substitution costs {@code L^3 / 6} per chunk. Equal to {@link DeltaReference}
 * up to rounding.
 *
 * <p>The backward is {@link DeltaReference}'s sequential one (it recomputes states from the inputs, so it does
 * not depend on which forward ran).
 */
public final class DeltaChunked implements DeltaKernel {
    private static final DeltaKernel SEQUENTIAL = new DeltaReference();
    private final int chunk;

    /** Chunks of 64 steps. */
    public DeltaChunked() {
        this(64);
    }

    public DeltaChunked(int chunkLength) {
        if (chunkLength < 1) {
            throw new RecurException("DeltaChunked: chunk length must be >= 1, got " + chunkLength);
        }
        this.chunk = chunkLength;
    }

    @Override
    public void forward(DeltaInputs in, float[] o, float[] hT) {
        int heads = in.heads();
        ScanParallel.parallelFor(in.batch() * heads, task -> run(in, task / heads, task % heads, o, hT));
    }

    @Override
    public void backward(DeltaInputs in, float[] go, float[] ghT, DeltaGrads grads) {
        SEQUENTIAL.backward(in, go, ghT, grads);
    }

    private void run(DeltaInputs in, int bi, int h, float[] o, float[] hT) {
        int seqLen = in.seqLen();
        int heads = in.heads();
        int nk = in.keyDim();
        int nv = in.valueDim();
        int ldk = heads * nk; // row stride of q and k over time: [B, T, H, K]
        int ldv = heads * nv; // row stride of v and o over time: [B, T, H, V]
        int task = bi * heads + h;
        float[] state = new float[nk * nv]; // [K, V]
        if (in.h0() != null) {
            System.arraycopy(in.h0(), task * nk * nv, state, 0, nk * nv);
        }
        float[] gamma = new float[chunk];
        float[] keys = new float[chunk * chunk];   // [L, L] K K^T, then M row by row
        float[] ut = new float[chunk * chunk];     // [L, L] T = (I + M)^-1
        float[] scores = new float[chunk * chunk]; // [L, L] decayed, masked Q K^T
        float[] vBeta = new float[chunk * nv];     // [L, V] beta v
        float[] kBeta = new float[chunk * nk];     // [L, K] -beta Gamma k
        float[] delta = new float[chunk * nv];     // [L, V] U, then Delta = U - W S_in
        float[] w = new float[chunk * nk];         // [L, K] -W
        float[] qIn = new float[chunk * nk];       // [L, K] scale Gamma q
        float[] kOut = new float[chunk * nk];      // [L, K] (Gamma_end / Gamma) k
        for (int s = 0; s < seqLen; s += chunk) {
            int len = Math.min(chunk, seqLen - s);
            int row0 = (bi * seqLen + s) * heads + h; // index of [B, T, H] at the chunk's start
            int kOff = row0 * nk;
            int vOff = row0 * nv;
            float acc = 0f;
            for (int t = 0; t < len; t++) {
                acc += in.logGate() == null ? 0f : in.logGate()[row0 + t * heads];
                gamma[t] = acc;
            }
            Gemm.sgemm(false, true, len, len, nk, in.k(), kOff, ldk, in.k(), kOff, ldk, keys, 0, len, false);
            substitute(in, row0, len, gamma, keys, ut);
            float gEnd = gamma[len - 1];
            for (int t = 0; t < len; t++) {
                float beta = in.beta()[row0 + t * heads];
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
                    scores[at] = tau <= t
                            ? in.scale() * scores[at] * (float) Math.exp(gamma[t] - gamma[tau]) : 0f;
                }
            }
            // o = scores Delta + qIn S_in: [L, L] x [L, V] + [L, K] x [K, V]
            Gemm.sgemm(false, false, len, nv, len, scores, 0, len, delta, 0, nv, o, vOff, ldv, false);
            Gemm.sgemm(false, false, len, nv, nk, qIn, 0, nk, state, 0, nv, o, vOff, ldv, true);
            if (in.logGate() != null) {
                float all = (float) Math.exp(gEnd);
                for (int i = 0; i < state.length; i++) {
                    state[i] *= all;
                }
            }
            // S_out += kOut^T Delta: [K, L] x [L, V]
            Gemm.sgemm(true, false, nk, nv, len, kOut, 0, nk, delta, 0, nv, state, 0, nv, true);
        }
        System.arraycopy(state, 0, hT, task * nk * nv, nk * nv);
    }

    /**
     * The UT transform {@code ut = (I + M)^-1}, with {@code M} strictly lower triangular built in place from
     * {@code keys = K K^T}, by forward substitution: row t of the inverse is
     * {@code e_t - sum_{tau < t} M[t, tau] ut[tau]}.
     */
    private static void substitute(DeltaInputs in, int row0, int len, float[] gamma, float[] keys, float[] ut) {
        int heads = in.heads();
        for (int t = 0; t < len; t++) {
            float beta = in.beta()[row0 + t * heads];
            int r = t * len;
            for (int c = 0; c < len; c++) {
                ut[r + c] = 0f;
            }
            for (int tau = 0; tau < t; tau++) {
                float m = beta * keys[r + tau] * (float) Math.exp(gamma[t] - gamma[tau]);
                int p = tau * len;
                for (int c = 0; c <= tau; c++) {
                    ut[r + c] = Math.fma(-m, ut[p + c], ut[r + c]);
                }
            }
            ut[r + t] = 1f;
        }
    }
}
