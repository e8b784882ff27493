package dev.recur.core.scan.delta;

import dev.recur.core.parallel.ComputePool;

/**
 * The (gated) delta rule in plain loops, one token at a time, in the order of transformers'
 * {@code torch_recurrent_gated_delta_rule} (decay, read {@code S^T k}, write {@code k delta^T}, read out): the
 * ground truth for {@link DeltaChunked}, forward and backward.
 *
 * <p>The backward keeps the state at the start of every segment of {@value #SEGMENT} steps, then walks the
 * segments last to first, recomputing each one's states and running the adjoint of one step:
 * <pre>
 *   dS_t     += scale q_t do_t^T,  dq_t = scale S_t do_t
 *   ddelta    = dS_t^T k_t,        dk_t = dS_t delta_t + S'_t du
 *   dv_t      = beta_t ddelta,     dbeta_t = ddelta . (v_t - u_t),  du = -beta_t ddelta
 *   dS'_t     = dS_t + k_t du^T
 *   dlog a_t  = alpha_t sum(S_{t-1} . dS'_t),  dS_{t-1} = alpha_t dS'_t
 * </pre>
 * with {@code u_t = S'_t^T k_t}. Tasks are (batch entry, head) pairs with disjoint outputs: the bits do not
 * depend on the thread count.
 */
public final class DeltaReference implements DeltaKernel {
    static final int SEGMENT = 64;

    @Override
    public void forward(DeltaInputs in, float[] o, float[] hT) {
        int heads = in.heads();
        int kv = in.keyDim() * in.valueDim();
        ComputePool.shared().parallelFor(in.batch() * heads, task -> {
            float[] state = initialState(in, task);
            run(in, task / heads, task % heads, 0, in.seqLen(), state, o, null, 0);
            System.arraycopy(state, 0, hT, task * kv, kv);
        });
    }

    private static float[] initialState(DeltaInputs in, int task) {
        int kv = in.keyDim() * in.valueDim();
        float[] state = new float[kv];
        if (in.h0() != null) {
            System.arraycopy(in.h0(), task * kv, state, 0, kv);
        }
        return state;
    }

    static float gate(DeltaInputs in, int row) {
        return in.logGate() == null ? 1f : (float) Math.exp(in.logGate()[row]);
    }

    /**
     * Steps {@code [t0, t1)} of one (batch, head) pair from {@code state [K, V]}, leaving the last state there;
     * writes {@code o} when non-null and, when {@code history} is non-null, the state after step t at
     * {@code history[historyAt + (t - t0) * K * V]}.
     */
    private static void run(DeltaInputs in, int bi, int h, int t0, int t1, float[] state, float[] o,
                            float[] history, int historyAt) {
        int nk = in.keyDim();
        int nv = in.valueDim();
        float[] delta = new float[nv];
        for (int t = t0; t < t1; t++) {
            int row = (bi * in.seqLen() + t) * in.heads() + h;
            int kOff = row * nk; // [B, T, H, K]
            int vOff = row * nv; // [B, T, H, V]
            float alpha = gate(in, row);
            float beta = in.beta()[row];
            if (in.logGate() != null) {
                for (int i = 0; i < state.length; i++) {
                    state[i] *= alpha;
                }
            }
            for (int j = 0; j < nv; j++) {
                delta[j] = 0f;
            }
            for (int d = 0; d < nk; d++) {
                float kd = in.k()[kOff + d];
                for (int j = 0; j < nv; j++) {
                    delta[j] = Math.fma(state[d * nv + j], kd, delta[j]);
                }
            }
            for (int j = 0; j < nv; j++) {
                delta[j] = beta * (in.v()[vOff + j] - delta[j]);
            }
            for (int d = 0; d < nk; d++) {
                float kd = in.k()[kOff + d];
                for (int j = 0; j < nv; j++) {
                    state[d * nv + j] = Math.fma(kd, delta[j], state[d * nv + j]);
                }
            }
            if (o != null) {
                for (int j = 0; j < nv; j++) {
                    o[vOff + j] = 0f;
                }
                for (int d = 0; d < nk; d++) {
                    float qd = in.scale() * in.q()[kOff + d];
                    for (int j = 0; j < nv; j++) {
                        o[vOff + j] = Math.fma(qd, state[d * nv + j], o[vOff + j]);
                    }
                }
            }
            if (history != null) {
                System.arraycopy(state, 0, history, historyAt + (t - t0) * nk * nv, nk * nv);
            }
        }
    }

    @Override
    public void backward(DeltaInputs in, float[] go, float[] ghT, DeltaGrads grads) {
        int heads = in.heads();
        ComputePool.shared().parallelFor(in.batch() * heads,
                task -> backwardTask(in, task / heads, task % heads, go, ghT, grads));
    }

    private static void backwardTask(DeltaInputs in, int bi, int h, float[] go, float[] ghT, DeltaGrads grads) {
        int seqLen = in.seqLen();
        int kv = in.keyDim() * in.valueDim();
        int task = bi * in.heads() + h;
        int segments = (seqLen + SEGMENT - 1) / SEGMENT;
        float[] checkpoints = new float[Math.max(1, segments) * kv]; // state before each segment
        float[] state = initialState(in, task);
        for (int sgm = 0; sgm < segments; sgm++) {
            System.arraycopy(state, 0, checkpoints, sgm * kv, kv);
            run(in, bi, h, sgm * SEGMENT, Math.min(seqLen, (sgm + 1) * SEGMENT), state, null, null, 0);
        }
        float[] ds = new float[kv]; // adjoint of the current state
        if (ghT != null) {
            System.arraycopy(ghT, task * kv, ds, 0, kv);
        }
        float[] history = new float[(SEGMENT + 1) * kv]; // [S_{t0-1}, S_t0, ..., S_{t1-1}]
        Scratch scratch = new Scratch(in.valueDim());
        for (int sgm = segments - 1; sgm >= 0; sgm--) {
            int t0 = sgm * SEGMENT;
            int t1 = Math.min(seqLen, t0 + SEGMENT);
            System.arraycopy(checkpoints, sgm * kv, history, 0, kv);
            System.arraycopy(checkpoints, sgm * kv, state, 0, kv);
            run(in, bi, h, t0, t1, state, null, history, kv);
            for (int t = t1 - 1; t >= t0; t--) {
                stepBack(in, bi, h, t, history, (t - t0) * kv, (t - t0 + 1) * kv, go, ds, grads, scratch);
            }
        }
        if (grads.h0() != null) {
            for (int i = 0; i < kv; i++) {
                grads.h0()[task * kv + i] += ds[i];
            }
        }
    }

    /** Per-task buffers of the adjoint step. */
    private record Scratch(float[] u, float[] delta, float[] dDelta, float[] du) {
        Scratch(int nv) {
            this(new float[nv], new float[nv], new float[nv], new float[nv]);
        }
    }

    /** One adjoint step; {@code ds} holds dS_t on entry and dS_{t-1} on exit. */
    private static void stepBack(DeltaInputs in, int bi, int h, int t, float[] history, int prevAt, int curAt,
                                 float[] go, float[] ds, DeltaGrads grads, Scratch scratch) {
        int nk = in.keyDim();
        int nv = in.valueDim();
        int row = (bi * in.seqLen() + t) * in.heads() + h;
        int kOff = row * nk;
        int vOff = row * nv;
        float alpha = gate(in, row);
        float beta = in.beta()[row];
        float scale = in.scale();
        float[] u = scratch.u();
        float[] delta = scratch.delta();
        float[] dDelta = scratch.dDelta();
        float[] du = scratch.du();
        // Recompute u = (alpha S_{t-1})^T k and delta; accumulate dS_t += scale q do^T and ddelta = dS_t^T k.
        for (int j = 0; j < nv; j++) {
            u[j] = 0f;
            dDelta[j] = 0f;
        }
        for (int d = 0; d < nk; d++) {
            float kd = in.k()[kOff + d];
            float qd = scale * in.q()[kOff + d];
            float dq = 0f;
            for (int j = 0; j < nv; j++) {
                int at = d * nv + j;
                float gj = go[vOff + j];
                u[j] = Math.fma(alpha * history[prevAt + at], kd, u[j]);
                dq = Math.fma(history[curAt + at], gj, dq);
                ds[at] = Math.fma(qd, gj, ds[at]);
                dDelta[j] = Math.fma(ds[at], kd, dDelta[j]);
            }
            grads.q()[kOff + d] += scale * dq;
        }
        float dBeta = 0f;
        for (int j = 0; j < nv; j++) {
            float diff = in.v()[vOff + j] - u[j];
            delta[j] = beta * diff;
            dBeta = Math.fma(dDelta[j], diff, dBeta);
            grads.v()[vOff + j] += beta * dDelta[j];
            du[j] = -beta * dDelta[j];
        }
        grads.beta()[row] += dBeta;
        float dAlpha = 0f;
        for (int d = 0; d < nk; d++) {
            float kd = in.k()[kOff + d];
            float dk = 0f;
            for (int j = 0; j < nv; j++) {
                int at = d * nv + j;
                float prev = history[prevAt + at];
                dk = Math.fma(ds[at], delta[j], dk);
                dk = Math.fma(alpha * prev, du[j], dk);
                float dPre = Math.fma(kd, du[j], ds[at]);
                dAlpha = Math.fma(prev, dPre, dAlpha);
                ds[at] = alpha * dPre;
            }
            grads.k()[kOff + d] += dk;
        }
        if (grads.logGate() != null) {
            grads.logGate()[row] += alpha * dAlpha;
        }
    }
}
