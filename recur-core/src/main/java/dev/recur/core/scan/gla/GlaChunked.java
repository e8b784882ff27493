package dev.recur.core.scan.gla;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.gemm.Gemm;
import dev.recur.core.scan.ScanParallel;
import java.util.Arrays;

/**
 * The chunkwise-parallel gated linear-attention forward (Yang et al. 2024, section 4). Time is cut into
 * chunks of length L; inside a chunk starting at s, with {@code b_t = log alpha_s + ... + log alpha_t} the
 * cumulative log-decay per key dimension (so {@code b_t - b_tau <= 0} for {@code tau <= t}):
 * <pre>
 *   o_t   = scale (q_t . exp(b_t))^T S_in                                        (carried-in state)
 *         + scale sum_{s <= tau <= t} (sum_d q_td k_taud exp(b_td - b_taud)) v_tau   (intra-chunk attention)
 *   S_out = diag(exp(b_end)) S_in + sum_tau (k_tau . exp(b_end - b_tau)) v_tau^T     (state passing)
 * </pre>
 * Every exponent above is at most zero, so nothing overflows however strong the decay. The intra-chunk scores
 * use the secondary level of the paper: the chunk is cut into sub-chunks of length c; the scores of sub-chunk
 * i against every earlier position are one matrix product of {@code q_t exp(b_t - b_r)} and
 * {@code k_tau exp(b_r - b_tau)}, both with non-positive exponents, taking as reference r the last position
 * before sub-chunk i; scores inside a sub-chunk are summed directly, with the decay from tau to t as a running
 * product of the steps' decays (factors in (0, 1], so it can only underflow towards zero). Without
 * decay (plain linear attention) the scores are the masked product {@code Q K^T}. Every sum over time is a
 * {@link Gemm#sgemm}. Equal to {@link GlaReference} up to rounding.
 *
 * <p>The backward is {@link GlaReference}'s sequential one (it recomputes states from the inputs, so it does
 * not depend on which forward ran).
 */
public final class GlaChunked implements GlaKernel {
    private static final GlaKernel SEQUENTIAL = new GlaReference();
    private final int chunk;
    private final int subChunk;

    /** Chunks of 64 steps, sub-chunks of 16. */
    public GlaChunked() {
        this(64, 16);
    }

    public GlaChunked(int chunkLength, int subChunkLength) {
        if (chunkLength < 1 || subChunkLength < 1) {
            throw new RecurException("GlaChunked: chunk and sub-chunk lengths must be >= 1, got " + chunkLength
                    + " and " + subChunkLength);
        }
        this.chunk = chunkLength;
        this.subChunk = Math.min(subChunkLength, chunkLength);
    }

    @Override
    public void forward(GlaInputs in, float[] o, float[] hT) {
        int heads = in.heads();
        ScanParallel.parallelFor(in.batch() * heads, task -> run(in, task / heads, task % heads, o, hT));
    }

    @Override
    public void backward(GlaInputs in, float[] go, float[] ghT, GlaGrads grads) {
        SEQUENTIAL.backward(in, go, ghT, grads);
    }

    private void run(GlaInputs in, int bi, int h, float[] o, float[] hT) {
        int seqLen = in.seqLen();
        int nk = in.keyDim();
        int nv = in.valueDim();
        int ldk = in.heads() * nk; // row stride of q, k, logDecay over time: [B, T, H, K]
        int ldv = in.heads() * nv; // row stride of v and o over time: [B, T, H, V]
        int task = bi * in.heads() + h;
        float[] state = new float[nk * nv]; // [K, V]
        if (in.h0() != null) {
            System.arraycopy(in.h0(), task * nk * nv, state, 0, nk * nv);
        }
        boolean decays = in.logDecay() != null;
        float[] cum = new float[chunk * nk];     // [L, K] b_t
        float[] qIn = new float[chunk * nk];     // [L, K] scale q_t exp(b_t)
        float[] kOut = new float[chunk * nk];    // [L, K] k_tau exp(b_end - b_tau)
        float[] qSub = new float[subChunk * nk]; // [c, K] scale q_t exp(b_t - b_r)
        float[] kSub = new float[chunk * nk];    // [L, K] k_tau exp(b_r - b_tau)
        float[] scores = new float[chunk * chunk]; // [L, L]
        float[] decay = decays ? new float[chunk * nk] : null; // [L, K] alpha_t
        float[] w = new float[nk];
        for (int s = 0; s < seqLen; s += chunk) {
            int len = Math.min(chunk, seqLen - s);
            int kOff = ((bi * seqLen + s) * in.heads() + h) * nk;
            int vOff = ((bi * seqLen + s) * in.heads() + h) * nv;
            if (decays) {
                cumulate(in.logDecay(), kOff, ldk, len, nk, cum);
                decayedScores(in, kOff, ldk, len, cum, qSub, kSub, decay, w, scores);
            } else {
                Gemm.sgemm(false, true, len, len, nk, in.q(), kOff, ldk, in.k(), kOff, ldk, scores, 0, len, false);
                for (int t = 0; t < len; t++) {
                    for (int tau = 0; tau < len; tau++) {
                        scores[t * len + tau] = tau <= t ? in.scale() * scores[t * len + tau] : 0f;
                    }
                }
            }
            int end = (len - 1) * nk;
            for (int t = 0; t < len; t++) {
                for (int d = 0; d < nk; d++) {
                    float q = in.scale() * in.q()[kOff + t * ldk + d];
                    float k = in.k()[kOff + t * ldk + d];
                    qIn[t * nk + d] = decays ? q * (float) Math.exp(cum[t * nk + d]) : q;
                    kOut[t * nk + d] = decays ? k * (float) Math.exp(cum[end + d] - cum[t * nk + d]) : k;
                }
            }
            // o = scores V + qIn S_in: [L, L] x [L, V] + [L, K] x [K, V]
            Gemm.sgemm(false, false, len, nv, len, scores, 0, len, in.v(), vOff, ldv, o, vOff, ldv, false);
            Gemm.sgemm(false, false, len, nv, nk, qIn, 0, nk, state, 0, nv, o, vOff, ldv, true);
            if (decays) {
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
        System.arraycopy(state, 0, hT, task * nk * nv, nk * nv);
    }

    /** {@code cum[t, d] = sum_{tau <= t} logDecay[tau, d]} over one chunk. */
    private static void cumulate(float[] logDecay, int off, int ld, int len, int nk, float[] cum) {
        for (int d = 0; d < nk; d++) {
            cum[d] = logDecay[off + d];
        }
        for (int t = 1; t < len; t++) {
            for (int d = 0; d < nk; d++) {
                cum[t * nk + d] = cum[(t - 1) * nk + d] + logDecay[off + t * ld + d];
            }
        }
    }

    /**
     * The decayed, masked, scaled intra-chunk scores {@code [len, len]}, by sub-chunks. The keys scaled to
     * sub-chunk i's reference are those scaled to sub-chunk i-1's times one factor per key dimension, so each
     * sub-chunk computes exponentials only for its own c rows; inside a sub-chunk the decay from tau to t is the
     * running product of the per-step decays, so the diagonal blocks need none beyond {@code exp(logDecay)}.
     */
    private void decayedScores(GlaInputs in, int kOff, int ldk, int len, float[] cum, float[] qSub, float[] kSub,
                               float[] decay, float[] w, float[] scores) {
        int nk = in.keyDim();
        float scale = in.scale();
        Arrays.fill(scores, 0, len * len, 0f);
        for (int t = 0; t < len; t++) {
            for (int d = 0; d < nk; d++) {
                decay[t * nk + d] = (float) Math.exp(in.logDecay()[kOff + t * ldk + d]);
            }
        }
        for (int i0 = 0; i0 < len; i0 += subChunk) {
            int i1 = Math.min(len, i0 + subChunk);
            if (i0 > 0) {
                int ref = (i0 - 1) * nk;
                for (int t = i0; t < i1; t++) {
                    for (int d = 0; d < nk; d++) {
                        qSub[(t - i0) * nk + d] = scale * in.q()[kOff + t * ldk + d]
                                * (float) Math.exp(cum[t * nk + d] - cum[ref + d]);
                    }
                }
                int fresh = i0 - subChunk; // rows before this were scaled to the previous reference
                if (fresh > 0) {
                    int prevRef = (fresh - 1) * nk;
                    for (int d = 0; d < nk; d++) {
                        w[d] = (float) Math.exp(cum[ref + d] - cum[prevRef + d]);
                    }
                    for (int tau = 0; tau < fresh; tau++) {
                        for (int d = 0; d < nk; d++) {
                            kSub[tau * nk + d] *= w[d];
                        }
                    }
                }
                for (int tau = fresh; tau < i0; tau++) {
                    for (int d = 0; d < nk; d++) {
                        kSub[tau * nk + d] = in.k()[kOff + tau * ldk + d]
                                * (float) Math.exp(cum[ref + d] - cum[tau * nk + d]);
                    }
                }
                // scores[i0..i1, 0..i0] = qSub kSub^T: [c, K] x [K, i0]
                Gemm.sgemm(false, true, i1 - i0, i0, nk, qSub, 0, nk, kSub, 0, nk, scores, i0 * len, len, false);
            }
            for (int tau = i0; tau < i1; tau++) {
                for (int d = 0; d < nk; d++) {
                    w[d] = in.k()[kOff + tau * ldk + d];
                }
                for (int t = tau; t < i1; t++) {
                    float acc = 0f;
                    int qAt = kOff + t * ldk;
                    for (int d = 0; d < nk; d++) {
                        float wd = t == tau ? w[d] : w[d] * decay[t * nk + d];
                        w[d] = wd;
                        acc = Math.fma(in.q()[qAt + d], wd, acc);
                    }
                    scores[t * len + tau] = scale * acc;
                }
            }
        }
    }
}
