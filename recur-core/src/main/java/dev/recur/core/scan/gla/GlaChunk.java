package dev.recur.core.scan.gla;

import dev.recur.core.kernel.elementwise.Elementwise;
import dev.recur.core.kernel.elementwise.ElementwiseKernel;
import dev.recur.core.kernel.gemm.Gemm;
import java.util.Arrays;

/**
 * The per-chunk quantities of the chunked GLA for one (batch entry, head), in a workspace reused from chunk to
 * chunk: {@link #prepare} fills them from the inputs; the forward ({@link GlaChunked}) and the backward
 * ({@link GlaChunkedBackward}) both start from here. {@code [L, L]} arrays use the chunk's length as row stride.
 */
final class GlaChunk {
    /** The vectorised float exp, the same bits as its scalar twin in either kernel mode. */
    private static final ElementwiseKernel EXP = Elementwise.kernel();
    /** The largest log growth of a key factor inside a diagonal block computed by a matrix product. */
    static final float MAX_GROWTH = 60f;
    final GlaInputs in;
    final int bi;
    final int h;
    final int nk;
    final int nv;
    final int ldk; // row stride of q, k, logDecay over time: [B, T, H, K]
    final int ldv; // row stride of v and o over time: [B, T, H, V]
    final int subChunk;
    final boolean decays;
    int len;
    int kOff;
    int vOff;
    final float[] cum;    // [L, K] b_t, the cumulative log decay from the chunk's start
    final float[] inFac;  // [L, K] exp(b_t)
    final float[] outFac; // [L, K] exp(b_end - b_t)
    final float[] diff;   // [L, K] exponents, before one vectorised exp over the lot
    final float[] scores; // [L, L] A[t, tau] = scale sum_d q_td k_taud exp(b_td - b_taud), tau <= t
    final float[] qIn;    // [L, K] scale q_t exp(b_t)
    final float[] kOut;   // [L, K] k_tau exp(b_end - b_tau)
    final float[] qFac;   // [c, K] exp(b_t - b_r) for the current sub-chunk
    final float[] qSub;   // [c, K] scale q_t exp(b_t - b_r)
    final float[] kFac;   // [L, K] exp(b_r - b_tau) for tau before the current sub-chunk
    final float[] kSub;   // [L, K] k_tau exp(b_r - b_tau)
    final float[] w;      // [K]
    final float[] qDiag;  // [c, K] scale q_t exp(b_t - b_i0), the current sub-chunk against its own start
    final float[] qDiagFac; // [c, K] exp(b_t - b_i0)
    final float[] kDiag;  // [c, K] k_tau exp(b_i0 - b_tau)
    final float[] kDiagFac; // [c, K] exp(b_i0 - b_tau)
    final float[] block;  // [c, c]

    GlaChunk(GlaInputs in, int bi, int h, int chunk, int subChunk) {
        this.in = in;
        this.bi = bi;
        this.h = h;
        this.nk = in.keyDim();
        this.nv = in.valueDim();
        this.ldk = in.heads() * nk;
        this.ldv = in.heads() * nv;
        this.subChunk = subChunk;
        this.decays = in.logDecay() != null;
        cum = new float[chunk * nk];
        inFac = new float[chunk * nk];
        outFac = new float[chunk * nk];
        diff = new float[chunk * nk];
        scores = new float[chunk * chunk];
        qIn = new float[chunk * nk];
        kOut = new float[chunk * nk];
        qFac = new float[subChunk * nk];
        qSub = new float[subChunk * nk];
        kFac = new float[chunk * nk];
        kSub = new float[chunk * nk];
        w = new float[nk];
        qDiag = new float[subChunk * nk];
        qDiagFac = new float[subChunk * nk];
        kDiag = new float[subChunk * nk];
        kDiagFac = new float[subChunk * nk];
        block = new float[subChunk * subChunk];
    }

    /**
     * Loads the operands of the diagonal block of sub-chunk {@code [i0, i1)} relative to its first position,
     * unless the decay across the sub-chunk is too strong for that: the key factors {@code exp(b_i0 - b_tau)}
     * grow, so this is done only while the log decay over the sub-chunk stays above {@value #MAX_GROWTH} in every
     * dimension (factors below {@code e^60}, far from float's limit). Returns whether it loaded them; otherwise the
     * block is summed with running decay products.
     */
    boolean loadDiagonal(int i0, int i1) {
        int first = i0 * nk;
        int last = (i1 - 1) * nk;
        for (int d = 0; d < nk; d++) {
            if (cum[first + d] - cum[last + d] > MAX_GROWTH) {
                return false;
            }
        }
        int n = (i1 - i0) * nk;
        for (int i = 0; i < n; i++) {
            diff[i] = cum[first + i] - cum[first + i % nk];
        }
        EXP.exp(diff, 0, qDiagFac, 0, n);
        for (int i = 0; i < n; i++) {
            diff[i] = -diff[i];
        }
        EXP.exp(diff, 0, kDiagFac, 0, n);
        for (int t = i0; t < i1; t++) {
            for (int d = 0; d < nk; d++) {
                int at = (t - i0) * nk + d;
                qDiag[at] = in.scale() * in.q()[kOff + t * ldk + d] * qDiagFac[at];
                kDiag[at] = in.k()[kOff + t * ldk + d] * kDiagFac[at];
            }
        }
        return true;
    }

    /** Fills the chunk's quantities for steps {@code [s, s + length)}. */
    void prepare(int s, int length) {
        len = length;
        kOff = ((bi * in.seqLen() + s) * in.heads() + h) * nk;
        vOff = ((bi * in.seqLen() + s) * in.heads() + h) * nv;
        if (decays) {
            for (int t = 0; t < len; t++) {
                for (int d = 0; d < nk; d++) {
                    float g = in.logDecay()[kOff + t * ldk + d];
                    cum[t * nk + d] = t == 0 ? g : cum[(t - 1) * nk + d] + g;
                }
            }
            decayedScores();
            int end = (len - 1) * nk;
            EXP.exp(cum, 0, inFac, 0, len * nk);
            for (int i = 0; i < len * nk; i++) {
                diff[i] = cum[end + i % nk] - cum[i];
            }
            EXP.exp(diff, 0, outFac, 0, len * nk);
        } else {
            Gemm.sgemm(false, true, len, len, nk, in.q(), kOff, ldk, in.k(), kOff, ldk, scores, 0, len, false);
            for (int t = 0; t < len; t++) {
                for (int tau = 0; tau < len; tau++) {
                    scores[t * len + tau] = tau <= t ? in.scale() * scores[t * len + tau] : 0f;
                }
            }
        }
        for (int t = 0; t < len; t++) {
            for (int d = 0; d < nk; d++) {
                float q = in.scale() * in.q()[kOff + t * ldk + d];
                float k = in.k()[kOff + t * ldk + d];
                qIn[t * nk + d] = decays ? q * inFac[t * nk + d] : q;
                kOut[t * nk + d] = decays ? k * outFac[t * nk + d] : k;
            }
        }
    }

    /**
     * Loads the operands of sub-chunk {@code [i0, i1)} against the positions before it, relative to the
     * reference {@code r = i0 - 1}: {@code qFac}, {@code qSub} for its rows and {@code kFac}, {@code kSub} for
     * rows {@code [0, i0)}. Sub-chunks must be loaded in increasing order: the key factors of the rows before
     * the previous sub-chunk are the previous ones times {@code exp(b_r - b_r')}, so each sub-chunk computes
     * exponentials only for its own c rows.
     */
    void loadSubChunk(int i0, int i1) {
        int ref = (i0 - 1) * nk;
        int n = (i1 - i0) * nk;
        for (int i = 0; i < n; i++) {
            diff[i] = cum[i0 * nk + i] - cum[ref + i % nk];
        }
        EXP.exp(diff, 0, qFac, 0, n);
        for (int t = i0; t < i1; t++) {
            for (int d = 0; d < nk; d++) {
                qSub[(t - i0) * nk + d] = in.scale() * in.q()[kOff + t * ldk + d] * qFac[(t - i0) * nk + d];
            }
        }
        int fresh = i0 - subChunk; // rows before this carry the previous reference's factors
        if (fresh > 0) {
            int prevRef = (fresh - 1) * nk;
            for (int d = 0; d < nk; d++) {
                w[d] = (float) Math.exp(cum[ref + d] - cum[prevRef + d]);
            }
            for (int tau = 0; tau < fresh; tau++) {
                for (int d = 0; d < nk; d++) {
                    kFac[tau * nk + d] *= w[d];
                }
            }
        }
        int from = Math.max(0, fresh) * nk;
        int m = i0 * nk - from;
        for (int i = 0; i < m; i++) {
            diff[i] = cum[ref + i % nk] - cum[from + i];
        }
        EXP.exp(diff, 0, kFac, from, m);
        for (int tau = 0; tau < i0; tau++) {
            for (int d = 0; d < nk; d++) {
                kSub[tau * nk + d] = in.k()[kOff + tau * ldk + d] * kFac[tau * nk + d];
            }
        }
    }

    /**
     * The decayed scores by sub-chunks: one matrix product per sub-chunk against the positions before it, and
     * one for its diagonal block relative to its first position when the decay allows ({@link #loadDiagonal});
     * otherwise the decay from tau to t inside the block is the running product of the steps' decays (factors
     * in (0, 1], so it can only underflow towards zero).
     */
    private void decayedScores() {
        float scale = in.scale();
        Arrays.fill(scores, 0, len * len, 0f);
        for (int i0 = 0; i0 < len; i0 += subChunk) {
            int i1 = Math.min(len, i0 + subChunk);
            if (i0 > 0) {
                loadSubChunk(i0, i1);
                // scores[i0..i1, 0..i0] = qSub kSub^T: [c, K] x [K, i0]
                Gemm.sgemm(false, true, i1 - i0, i0, nk, qSub, 0, nk, kSub, 0, nk, scores, i0 * len, len, false);
            }
            int rows = i1 - i0;
            if (loadDiagonal(i0, i1)) {
                // block = qDiag kDiag^T: [c, K] x [K, c], kept on and below the diagonal
                Gemm.sgemm(false, true, rows, rows, nk, qDiag, 0, nk, kDiag, 0, nk, block, 0, rows, false);
                for (int t = 0; t < rows; t++) {
                    System.arraycopy(block, t * rows, scores, (i0 + t) * len + i0, t + 1);
                }
                continue;
            }
            for (int tau = i0; tau < i1; tau++) {
                for (int d = 0; d < nk; d++) {
                    w[d] = in.k()[kOff + tau * ldk + d];
                }
                for (int t = tau; t < i1; t++) {
                    float acc = 0f;
                    int qAt = kOff + t * ldk;
                    for (int d = 0; d < nk; d++) {
                        float wd = t == tau ? w[d] : w[d] * (float) Math.exp(in.logDecay()[qAt + d]);
                        w[d] = wd;
                        acc = Math.fma(in.q()[qAt + d], wd, acc);
                    }
                    scores[t * len + tau] = scale * acc;
                }
            }
        }
    }

    /** Writes the chunk's outputs into {@code o} (when non-null) and moves {@code state [K, V]} to its end. */
    void advance(float[] state, float[] o) {
        if (o != null) {
            // o = scores V + qIn S_in: [L, L] x [L, V] + [L, K] x [K, V]
            Gemm.sgemm(false, false, len, nv, len, scores, 0, len, in.v(), vOff, ldv, o, vOff, ldv, false);
            Gemm.sgemm(false, false, len, nv, nk, qIn, 0, nk, state, 0, nv, o, vOff, ldv, true);
        }
        if (decays) {
            int end = (len - 1) * nk;
            for (int d = 0; d < nk; d++) {
                float all = (float) Math.exp(cum[end + d]);
                for (int j = 0; j < nv; j++) {
                    state[d * nv + j] *= all;
                }
            }
        }
        // S_out += kOut^T V: [K, L] x [L, V]
        Gemm.sgemm(true, false, nk, nv, len, kOut, 0, nk, in.v(), vOff, ldv, state, 0, nv, true);
    }
}
