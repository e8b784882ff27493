package dev.recur.core.scan.delta;

import dev.recur.core.kernel.gemm.Gemm;
import dev.recur.core.parallel.ComputePool;

/**
 * The backward of the chunked delta rule, chunk by chunk from the last, on matrix products. A first pass keeps
 * the state entering every chunk; then each chunk's quantities are rebuilt ({@link DeltaChunk#prepare}) and the
 * adjoint runs through the chunk's forward in reverse, given {@code dO} and the adjoint {@code dS} of the state
 * leaving the chunk (with {@code Kt = (Gamma_end / Gamma) K}, {@code Qt = scale Gamma Q}, {@code Wn = -W}):
 * <pre>
 *   S_out = Gamma_end S_in + Kt^T Delta     dDelta  = Kt dS,            dKt = Delta dS^T
 *   O = A Delta + Qt S_in                   dDelta += A^T dO,  dA = dO Delta^T,  dQt = dO S_in^T
 *   Delta = U + Wn S_in                     dWn = dDelta S_in^T,  dS_in = Gamma_end dS + Qt^T dO + Wn^T dDelta
 *   U = T diag(beta) V, Wn = T Kb           dT = dDelta (beta V)^T + dWn Kb^T,  d(beta V) = T^T dDelta, dKb = T^T dWn
 *   T = (I + M)^-1                          dM = -T^T dT T^T  (strictly lower part)
 * </pre>
 * then through {@code A}, {@code M} and the decays to q, k, v, beta and the cumulative log gate gamma, whose
 * gradient becomes the gate's by a reverse cumulative sum over the chunk. Tasks are (batch entry, head) pairs
 * with disjoint outputs, so the bits do not depend on the thread count.
 */
final class DeltaChunkedBackward {
    private DeltaChunkedBackward() {}

    static void backward(DeltaInputs in, int chunk, float[] go, float[] ghT, DeltaGrads grads) {
        int heads = in.heads();
        ComputePool.shared().parallelFor(in.batch() * heads,
                task -> run(in, chunk, task / heads, task % heads, go, ghT, grads));
    }

    /** Per-task buffers. */
    private static final class Work {
        final float[] dDelta;  // [L, V]
        final float[] dVBeta;  // [L, V]
        final float[] dx;      // [L, K]
        final float[] dKBeta;  // [L, K]
        final float[] dA;      // [L, L]
        final float[] p;       // [L, L]
        final float[] dT;      // [L, L]
        final float[] tmp;     // [L, L]
        final float[] dGamma;  // [L]

        Work(int chunk, int nk, int nv) {
            dDelta = new float[chunk * nv];
            dVBeta = new float[chunk * nv];
            dx = new float[chunk * nk];
            dKBeta = new float[chunk * nk];
            dA = new float[chunk * chunk];
            p = new float[chunk * chunk];
            dT = new float[chunk * chunk];
            tmp = new float[chunk * chunk];
            dGamma = new float[chunk];
        }
    }

    private static void run(DeltaInputs in, int chunk, int bi, int h, float[] go, float[] ghT, DeltaGrads grads) {
        int seqLen = in.seqLen();
        int kv = in.keyDim() * in.valueDim();
        int task = bi * in.heads() + h;
        int chunks = (seqLen + chunk - 1) / chunk;
        float[] starts = new float[Math.max(1, chunks) * kv]; // the state entering each chunk
        float[] state = new float[kv];
        if (in.h0() != null) {
            System.arraycopy(in.h0(), task * kv, state, 0, kv);
        }
        DeltaChunk c = new DeltaChunk(in, bi, h, chunk);
        for (int ci = 0; ci < chunks; ci++) {
            System.arraycopy(state, 0, starts, ci * kv, kv);
            c.prepare(ci * chunk, Math.min(chunk, seqLen - ci * chunk), state);
            DeltaChunked.advance(c, state, null);
        }
        float[] ds = new float[kv];
        if (ghT != null) {
            System.arraycopy(ghT, task * kv, ds, 0, kv);
        }
        float[] dsIn = new float[kv];
        float[] sIn = new float[kv];
        Work work = new Work(chunk, in.keyDim(), in.valueDim());
        for (int ci = chunks - 1; ci >= 0; ci--) {
            System.arraycopy(starts, ci * kv, sIn, 0, kv);
            c.prepare(ci * chunk, Math.min(chunk, seqLen - ci * chunk), sIn);
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
    private static void chunk(DeltaChunk c, float[] sIn, float[] go, float[] ds, float[] dsIn, Work wk,
                              DeltaGrads grads) {
        DeltaInputs in = c.in;
        int len = c.len;
        int nk = c.nk;
        int nv = c.nv;
        int ldk = c.ldk;
        int ldv = c.ldv;
        int kOff = c.kOff;
        int vOff = c.vOff;
        int heads = in.heads();
        float scale = in.scale();
        float[] dGamma = wk.dGamma;
        float[] dx = wk.dx;
        for (int t = 0; t < len; t++) {
            dGamma[t] = 0f;
        }
        int end = len - 1;
        float gEnd = c.gamma[end];
        float all = in.logGate() == null ? 1f : (float) Math.exp(gEnd);
        float toAll = 0f;
        for (int i = 0; i < ds.length; i++) {
            dsIn[i] = all * ds[i];
            toAll = Math.fma(sIn[i], ds[i], toAll);
        }
        dGamma[end] += all * toAll;
        // S_out = Gamma_end S_in + kOut^T Delta
        Gemm.sgemm(false, false, len, nv, nk, c.kOut, 0, nk, ds, 0, nv, wk.dDelta, 0, nv, false);
        Gemm.sgemm(false, true, len, nk, nv, c.delta, 0, nv, ds, 0, nv, dx, 0, nk, false);
        for (int t = 0; t < len; t++) {
            float toEnd = c.decay(end, t);
            float dot = 0f;
            for (int d = 0; d < nk; d++) {
                grads.k()[kOff + t * ldk + d] += toEnd * dx[t * nk + d];
                dot = Math.fma(c.kOut[t * nk + d], dx[t * nk + d], dot);
            }
            dGamma[end] += dot;
            dGamma[t] -= dot;
        }
        // O = A Delta + qIn S_in
        Gemm.sgemm(true, false, len, nv, len, c.scores, 0, len, go, vOff, ldv, wk.dDelta, 0, nv, true);
        Gemm.sgemm(false, true, len, len, nv, go, vOff, ldv, c.delta, 0, nv, wk.dA, 0, len, false);
        Gemm.sgemm(false, true, len, nk, nv, go, vOff, ldv, sIn, 0, nv, dx, 0, nk, false);
        Gemm.sgemm(true, false, nk, nv, len, c.qIn, 0, nk, go, vOff, ldv, dsIn, 0, nv, true);
        for (int t = 0; t < len; t++) {
            float f = scale * (in.logGate() == null ? 1f : (float) Math.exp(c.gamma[t]));
            float dot = 0f;
            for (int d = 0; d < nk; d++) {
                grads.q()[kOff + t * ldk + d] += f * dx[t * nk + d];
                dot = Math.fma(c.qIn[t * nk + d], dx[t * nk + d], dot);
            }
            dGamma[t] += dot;
        }
        // A = scale (Q K^T . D), lower triangle with the diagonal
        float[] p = wk.p;
        for (int t = 0; t < len; t++) {
            for (int tau = 0; tau < len; tau++) {
                int at = t * len + tau;
                if (tau > t) {
                    p[at] = 0f;
                    continue;
                }
                float g = wk.dA[at];
                p[at] = g * scale * c.decay(t, tau);
                float e = g * c.scores[at];
                dGamma[t] += e;
                dGamma[tau] -= e;
            }
        }
        Gemm.sgemm(false, false, len, nk, len, p, 0, len, in.k(), kOff, ldk, grads.q(), kOff, ldk, true);
        Gemm.sgemm(true, false, len, nk, len, p, 0, len, in.q(), kOff, ldk, grads.k(), kOff, ldk, true);
        // Delta = U + Wn S_in
        Gemm.sgemm(false, true, len, nk, nv, wk.dDelta, 0, nv, sIn, 0, nv, dx, 0, nk, false);
        Gemm.sgemm(true, false, nk, nv, len, c.w, 0, nk, wk.dDelta, 0, nv, dsIn, 0, nv, true);
        // U = T vBeta, Wn = T kBeta
        Gemm.sgemm(false, true, len, len, nv, wk.dDelta, 0, nv, c.vBeta, 0, nv, wk.dT, 0, len, false);
        Gemm.sgemm(false, true, len, len, nk, dx, 0, nk, c.kBeta, 0, nk, wk.dT, 0, len, true);
        Gemm.sgemm(true, false, len, nv, len, c.ut, 0, len, wk.dDelta, 0, nv, wk.dVBeta, 0, nv, false);
        Gemm.sgemm(true, false, len, nk, len, c.ut, 0, len, dx, 0, nk, wk.dKBeta, 0, nk, false);
        for (int t = 0; t < len; t++) {
            int row = c.row0 + t * heads;
            float beta = c.beta(t);
            float dBeta = 0f;
            for (int j = 0; j < nv; j++) {
                float g = wk.dVBeta[t * nv + j];
                grads.v()[vOff + t * ldv + j] += beta * g;
                dBeta = Math.fma(in.v()[vOff + t * ldv + j], g, dBeta);
            }
            float decayIn = in.logGate() == null ? 1f : (float) Math.exp(c.gamma[t]);
            float kDot = 0f;
            float kbDot = 0f;
            for (int d = 0; d < nk; d++) {
                float g = wk.dKBeta[t * nk + d];
                float kd = in.k()[kOff + t * ldk + d];
                grads.k()[kOff + t * ldk + d] -= beta * decayIn * g;
                kDot = Math.fma(kd, g, kDot);
                kbDot = Math.fma(c.kBeta[t * nk + d], g, kbDot);
            }
            grads.beta()[row] += dBeta - decayIn * kDot;
            dGamma[t] += kbDot;
        }
        // T = (I + M)^-1: dM = -T^T dT T^T, kept below the diagonal
        Gemm.sgemm(true, false, len, len, len, c.ut, 0, len, wk.dT, 0, len, wk.tmp, 0, len, false);
        Gemm.sgemm(false, true, len, len, len, wk.tmp, 0, len, c.ut, 0, len, wk.dA, 0, len, false);
        for (int t = 0; t < len; t++) {
            float beta = c.beta(t);
            float dBeta = 0f;
            for (int tau = 0; tau < len; tau++) {
                int at = t * len + tau;
                if (tau >= t) {
                    p[at] = 0f;
                    continue;
                }
                float n = -wk.dA[at];
                float kk = c.keys[at] * c.decay(t, tau);
                dBeta = Math.fma(n, kk, dBeta);
                p[at] = n * beta * c.decay(t, tau);
                float f = n * beta * kk;
                dGamma[t] += f;
                dGamma[tau] -= f;
            }
            grads.beta()[c.row0 + t * heads] += dBeta;
        }
        Gemm.sgemm(false, false, len, nk, len, p, 0, len, in.k(), kOff, ldk, grads.k(), kOff, ldk, true);
        Gemm.sgemm(true, false, len, nk, len, p, 0, len, in.k(), kOff, ldk, grads.k(), kOff, ldk, true);
        if (grads.logGate() != null) {
            float acc = 0f;
            for (int t = end; t >= 0; t--) {
                acc += dGamma[t];
                grads.logGate()[c.row0 + t * heads] += acc;
            }
        }
    }
}
