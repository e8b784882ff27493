package dev.recur.core.scan.delta;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.gemm.Gemm;
import dev.recur.core.parallel.ComputePool;

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
 * <p>The backward ({@link DeltaChunkedBackward}) is chunked too, on matrix products; it recomputes each chunk
 * from the state entering it, so nothing is kept between forward and backward.
 */
public final class DeltaChunked implements DeltaKernel {
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
        ComputePool.shared().parallelFor(in.batch() * heads, task -> run(in, task / heads, task % heads, o, hT));
    }

    /** The chunked backward: see {@link DeltaChunkedBackward}. */
    @Override
    public void backward(DeltaInputs in, float[] go, float[] ghT, DeltaGrads grads) {
        DeltaChunkedBackward.backward(in, chunk, go, ghT, grads);
    }

    private void run(DeltaInputs in, int bi, int h, float[] o, float[] hT) {
        int nk = in.keyDim();
        int nv = in.valueDim();
        int task = bi * in.heads() + h;
        float[] state = new float[nk * nv]; // [K, V]
        if (in.h0() != null) {
            System.arraycopy(in.h0(), task * nk * nv, state, 0, nk * nv);
        }
        DeltaChunk c = new DeltaChunk(in, bi, h, chunk);
        for (int s = 0; s < in.seqLen(); s += chunk) {
            c.prepare(s, Math.min(chunk, in.seqLen() - s), state);
            advance(c, state, o);
        }
        System.arraycopy(state, 0, hT, task * nk * nv, nk * nv);
    }

    /** Writes the chunk's outputs into {@code o} (when non-null) and moves {@code state} to the chunk's end. */
    static void advance(DeltaChunk c, float[] state, float[] o) {
        int len = c.len;
        int nk = c.nk;
        int nv = c.nv;
        if (o != null) {
            // o = scores Delta + qIn S_in: [L, L] x [L, V] + [L, K] x [K, V]
            Gemm.sgemm(false, false, len, nv, len, c.scores, 0, len, c.delta, 0, nv, o, c.vOff, c.ldv, false);
            Gemm.sgemm(false, false, len, nv, nk, c.qIn, 0, nk, state, 0, nv, o, c.vOff, c.ldv, true);
        }
        if (c.in.logGate() != null) {
            float all = (float) Math.exp(c.gamma[len - 1]);
            for (int i = 0; i < state.length; i++) {
                state[i] *= all;
            }
        }
        // S_out += kOut^T Delta: [K, L] x [L, V]
        Gemm.sgemm(true, false, nk, nv, len, c.kOut, 0, nk, c.delta, 0, nv, state, 0, nv, true);
    }
}
