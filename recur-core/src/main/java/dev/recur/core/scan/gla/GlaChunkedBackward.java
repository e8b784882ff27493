package dev.recur.core.scan.gla;

import dev.recur.core.kernel.gemm.Gemm;
import dev.recur.core.parallel.ComputePool;
import java.util.Arrays;

/**
 * The backward of the chunked GLA, chunk by chunk from the last, on matrix products. A first pass keeps the
 * state entering every chunk; then each chunk's quantities are rebuilt ({@link GlaChunk#prepare}) and the
 * adjoint runs through the chunk's forward in reverse, given {@code dO} and the adjoint {@code dS} of the state
 * leaving the chunk ({@code Qi = scale Q . exp(B)}, {@code Ko = K . exp(b_end - B)}):
 * <pre>
 *   S_out = diag(exp(b_end)) S_in + Ko^T V    dS_in = diag(exp(b_end)) dS + Qi^T dO,  dKo = V dS^T,  dV = Ko dS
 *   O = A V + Qi S_in                         dV += A^T dO,  dA = dO V^T,  dQi = dO S_in^T
 *   A[t, tau] = scale sum_d q_td k_taud exp(b_td - b_taud)
 *             dq_t = scale sum_tau dA[t, tau] k_tau exp(b_t - b_tau),  dk_tau likewise,
 *             db_t += q_t . dq_t (from A),  db_tau -= k_tau . dk_tau (from A)
 * </pre>
 * with the scores' gradients taken by the same sub-chunk split as the forward (matrix products per sub-chunk
 * against the positions before it and for its diagonal block, or running decay products inside the block where
 * the decay is too strong for that), and the cumulative log decay's gradient
 * {@code db} turned into the per-step one by a reverse cumulative sum over the chunk. Tasks are (batch entry,
 * head) pairs with disjoint outputs, so the bits do not depend on the thread count.
 */
final class GlaChunkedBackward {
    private GlaChunkedBackward() {}

    static void backward(GlaInputs in, int chunk, int subChunk, float[] go, float[] ghT, GlaGrads grads) {
        int heads = in.heads();
        ComputePool.shared().parallelFor(in.batch() * heads,
                task -> run(in, chunk, subChunk, task / heads, task % heads, go, ghT, grads));
    }

    /** Per-task buffers. */
    private static final class Work {
        final float[] dA;   // [L, L]
        final float[] dx;   // [L, K]
        final float[] dqA;  // [L, K] gradient of q through the scores
        final float[] dkA;  // [L, K] gradient of k through the scores
        final float[] db;   // [L, K] gradient of the cumulative log decay
        final float[] tmp;  // [L, K]

        Work(int chunk, int nk) {
            dA = new float[chunk * chunk];
            dx = new float[chunk * nk];
            dqA = new float[chunk * nk];
            dkA = new float[chunk * nk];
            db = new float[chunk * nk];
            tmp = new float[chunk * nk];
        }
    }

    private static void run(GlaInputs in, int chunk, int subChunk, int bi, int h, float[] go, float[] ghT,
                            GlaGrads grads) {
        int seqLen = in.seqLen();
        int kv = in.keyDim() * in.valueDim();
        int task = bi * in.heads() + h;
        int chunks = (seqLen + chunk - 1) / chunk;
        float[] starts = new float[Math.max(1, chunks) * kv]; // the state entering each chunk
        float[] state = new float[kv];
        if (in.h0() != null) {
            System.arraycopy(in.h0(), task * kv, state, 0, kv);
        }
        GlaChunk c = new GlaChunk(in, bi, h, chunk, subChunk);
        for (int ci = 0; ci < chunks; ci++) {
            System.arraycopy(state, 0, starts, ci * kv, kv);
            c.prepare(ci * chunk, Math.min(chunk, seqLen - ci * chunk));
            c.advance(state, null);
        }
        float[] ds = new float[kv];
        if (ghT != null) {
            System.arraycopy(ghT, task * kv, ds, 0, kv);
        }
        float[] dsIn = new float[kv];
        float[] sIn = new float[kv];
        Work work = new Work(chunk, in.keyDim());
        for (int ci = chunks - 1; ci >= 0; ci--) {
            System.arraycopy(starts, ci * kv, sIn, 0, kv);
            c.prepare(ci * chunk, Math.min(chunk, seqLen - ci * chunk));
            chunk(c, sIn, go, ds, dsIn, work, grads);
            float[] swap = ds;
            ds = dsIn;
            dsIn = swap;
        }
        if (grads.h0() != null) {
            for (int i = 0; i < kv; i++) {
                grads.h0()[task * kv + i] += ds[i];
            }
        }
    }

    /** The adjoint of one chunk: adds into {@code grads} and writes the adjoint of the entering state to dsIn. */
    private static void chunk(GlaChunk c, float[] sIn, float[] go, float[] ds, float[] dsIn, Work wk,
                              GlaGrads grads) {
        GlaInputs in = c.in;
        int len = c.len;
        int nk = c.nk;
        int nv = c.nv;
        int ldk = c.ldk;
        int ldv = c.ldv;
        int kOff = c.kOff;
        int vOff = c.vOff;
        float scale = in.scale();
        float[] db = wk.db;
        float[] dx = wk.dx;
        int end = (len - 1) * nk;
        Arrays.fill(db, 0, len * nk, 0f);
        // S_out = diag(exp(b_end)) S_in + kOut^T V
        for (int d = 0; d < nk; d++) {
            float all = c.decays ? (float) Math.exp(c.cum[end + d]) : 1f;
            float dot = 0f;
            for (int j = 0; j < nv; j++) {
                dsIn[d * nv + j] = all * ds[d * nv + j];
                dot = Math.fma(sIn[d * nv + j], ds[d * nv + j], dot);
            }
            db[end + d] += all * dot;
        }
        Gemm.sgemm(false, true, len, nk, nv, in.v(), vOff, ldv, ds, 0, nv, dx, 0, nk, false);
        for (int t = 0; t < len; t++) {
            for (int d = 0; d < nk; d++) {
                float g = dx[t * nk + d];
                float toEnd = c.decays ? c.outFac[t * nk + d] : 1f;
                grads.k()[kOff + t * ldk + d] += toEnd * g;
                float e = c.kOut[t * nk + d] * g;
                db[end + d] += e;
                db[t * nk + d] -= e;
            }
        }
        Gemm.sgemm(false, false, len, nv, nk, c.kOut, 0, nk, ds, 0, nv, grads.v(), vOff, ldv, true);
        // O = A V + qIn S_in
        Gemm.sgemm(true, false, len, nv, len, c.scores, 0, len, go, vOff, ldv, grads.v(), vOff, ldv, true);
        Gemm.sgemm(false, true, len, len, nv, go, vOff, ldv, in.v(), vOff, ldv, wk.dA, 0, len, false);
        Gemm.sgemm(false, true, len, nk, nv, go, vOff, ldv, sIn, 0, nv, dx, 0, nk, false);
        Gemm.sgemm(true, false, nk, nv, len, c.qIn, 0, nk, go, vOff, ldv, dsIn, 0, nv, true);
        for (int t = 0; t < len; t++) {
            for (int d = 0; d < nk; d++) {
                float g = dx[t * nk + d];
                float f = scale * (c.decays ? c.inFac[t * nk + d] : 1f);
                grads.q()[kOff + t * ldk + d] += f * g;
                db[t * nk + d] += c.qIn[t * nk + d] * g;
            }
        }
        for (int t = 0; t < len; t++) {
            for (int tau = t + 1; tau < len; tau++) {
                wk.dA[t * len + tau] = 0f;
            }
        }
        if (c.decays) {
            decayedScoresBackward(c, wk);
        } else {
            Arrays.fill(wk.dqA, 0, len * nk, 0f);
            Arrays.fill(wk.dkA, 0, len * nk, 0f);
            Gemm.sgemm(false, false, len, nk, len, wk.dA, 0, len, in.k(), kOff, ldk, wk.dqA, 0, nk, false);
            Gemm.sgemm(true, false, len, nk, len, wk.dA, 0, len, in.q(), kOff, ldk, wk.dkA, 0, nk, false);
            for (int i = 0; i < len * nk; i++) {
                wk.dqA[i] *= scale;
                wk.dkA[i] *= scale;
            }
        }
        for (int t = 0; t < len; t++) {
            for (int d = 0; d < nk; d++) {
                int at = t * nk + d;
                float q = in.q()[kOff + t * ldk + d];
                float k = in.k()[kOff + t * ldk + d];
                grads.q()[kOff + t * ldk + d] += wk.dqA[at];
                grads.k()[kOff + t * ldk + d] += wk.dkA[at];
                db[at] += q * wk.dqA[at] - k * wk.dkA[at];
            }
        }
        if (grads.logDecay() != null) {
            for (int d = 0; d < nk; d++) {
                float acc = 0f;
                for (int t = len - 1; t >= 0; t--) {
                    acc += db[t * nk + d];
                    grads.logDecay()[kOff + t * ldk + d] += acc;
                }
            }
        }
    }

    /** dq and dk through the decayed scores (into {@code dqA}, {@code dkA}), by the forward's sub-chunks. */
    private static void decayedScoresBackward(GlaChunk c, Work wk) {
        GlaInputs in = c.in;
        int len = c.len;
        int nk = c.nk;
        int ldk = c.ldk;
        int kOff = c.kOff;
        float scale = in.scale();
        float[] dqA = wk.dqA;
        float[] dkA = wk.dkA;
        float[] w = c.w;
        Arrays.fill(dqA, 0, len * nk, 0f);
        Arrays.fill(dkA, 0, len * nk, 0f);
        for (int i0 = 0; i0 < len; i0 += c.subChunk) {
            int i1 = Math.min(len, i0 + c.subChunk);
            int rows = i1 - i0;
            if (i0 > 0) {
                c.loadSubChunk(i0, i1);
                // dq[i0..i1] = scale qFac . (dA[i0..i1, 0..i0] kSub): [c, i0] x [i0, K]
                Gemm.sgemm(false, false, rows, nk, i0, wk.dA, i0 * len, len, c.kSub, 0, nk, wk.tmp, 0, nk, false);
                for (int t = i0; t < i1; t++) {
                    for (int d = 0; d < nk; d++) {
                        dqA[t * nk + d] += scale * c.qFac[(t - i0) * nk + d] * wk.tmp[(t - i0) * nk + d];
                    }
                }
                // dk[0..i0] += kFac . (dA[i0..i1, 0..i0]^T qSub): [i0, c] x [c, K]
                Gemm.sgemm(true, false, i0, nk, rows, wk.dA, i0 * len, len, c.qSub, 0, nk, wk.tmp, 0, nk, false);
                for (int tau = 0; tau < i0; tau++) {
                    for (int d = 0; d < nk; d++) {
                        dkA[tau * nk + d] += c.kFac[tau * nk + d] * wk.tmp[tau * nk + d];
                    }
                }
            }
            if (c.loadDiagonal(i0, i1)) {
                int at = i0 * len + i0;
                // dq[i0..i1] += scale qDiagFac . (dA_block kDiag), dk[i0..i1] += kDiagFac . (dA_block^T qDiag)
                Gemm.sgemm(false, false, rows, nk, rows, wk.dA, at, len, c.kDiag, 0, nk, wk.tmp, 0, nk, false);
                for (int i = 0; i < rows * nk; i++) {
                    dqA[i0 * nk + i] += scale * c.qDiagFac[i] * wk.tmp[i];
                }
                Gemm.sgemm(true, false, rows, nk, rows, wk.dA, at, len, c.qDiag, 0, nk, wk.tmp, 0, nk, false);
                for (int i = 0; i < rows * nk; i++) {
                    dkA[i0 * nk + i] += c.kDiagFac[i] * wk.tmp[i];
                }
                continue;
            }
            for (int tau = i0; tau < i1; tau++) {
                int kAt = kOff + tau * ldk;
                for (int d = 0; d < nk; d++) {
                    w[d] = 1f;
                }
                for (int t = tau; t < i1; t++) {
                    int qAt = kOff + t * ldk;
                    float g = scale * wk.dA[t * len + tau];
                    for (int d = 0; d < nk; d++) {
                        float wd = t == tau ? 1f : w[d] * (float) Math.exp(in.logDecay()[qAt + d]);
                        w[d] = wd;
                        dqA[t * nk + d] = Math.fma(g * wd, in.k()[kAt + d], dqA[t * nk + d]);
                        dkA[tau * nk + d] = Math.fma(g * wd, in.q()[qAt + d], dkA[tau * nk + d]);
                    }
                }
            }
        }
    }
}
