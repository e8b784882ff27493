package dev.recur.core.scan.gla;

import dev.recur.core.parallel.ComputePool;
import java.util.Arrays;

/**
 * The gated linear-attention recurrence in plain loops, one token at a time: the ground truth for
 * {@link GlaChunked}, forward and backward.
 *
 * <p>The backward keeps the state at the start of every segment of {@value #SEGMENT} steps, then walks the
 * segments last to first, recomputing each one's states and running the adjoint recurrence
 * <pre>
 *   dS_t    += scale q_t do_t^T
 *   dq_t     = scale S_t do_t,  dk_t = dS_t v_t,  dv_t = dS_t^T k_t
 *   dlog a_t = alpha_t * rowsum(S_{t-1} . dS_t)
 *   dS_{t-1} = diag(alpha_t) dS_t
 * </pre>
 * so its memory is {@code (T / SEGMENT + SEGMENT) * K * V} per (batch entry, head), not {@code T * K * V}.
 * Tasks are (batch entry, head) pairs with disjoint outputs: the bits do not depend on the thread count.
 */
public final class GlaReference implements GlaKernel {
    static final int SEGMENT = 64;

    @Override
    public void forward(GlaInputs in, float[] o, float[] hT) {
        int heads = in.heads();
        int kv = in.keyDim() * in.valueDim();
        ComputePool.shared().parallelFor(in.batch() * heads, task -> {
            float[] state = initialState(in, task);
            run(in, task / heads, task % heads, 0, in.seqLen(), state, o, null, 0);
            System.arraycopy(state, 0, hT, task * kv, kv);
        });
    }

    private static float[] initialState(GlaInputs in, int task) {
        int kv = in.keyDim() * in.valueDim();
        float[] state = new float[kv];
        if (in.h0() != null) {
            System.arraycopy(in.h0(), task * kv, state, 0, kv);
        }
        return state;
    }

    /**
     * Steps {@code [t0, t1)} of one (batch, head) pair from {@code state [K, V]}, leaving the last state there;
     * writes {@code o} when non-null and, when {@code history} is non-null, the state after step t at
     * {@code history[historyAt + (t - t0) * K * V]}.
     */
    private static void run(GlaInputs in, int bi, int h, int t0, int t1, float[] state, float[] o,
                            float[] history, int historyAt) {
        int heads = in.heads();
        int nk = in.keyDim();
        int nv = in.valueDim();
        for (int t = t0; t < t1; t++) {
            int row = (bi * in.seqLen() + t) * heads + h;
            int kOff = row * nk; // [B, T, H, K]
            int vOff = row * nv; // [B, T, H, V]
            for (int d = 0; d < nk; d++) {
                float decay = in.logDecay() == null ? 1f : (float) Math.exp(in.logDecay()[kOff + d]);
                float kd = in.k()[kOff + d];
                for (int j = 0; j < nv; j++) {
                    state[d * nv + j] = Math.fma(kd, in.v()[vOff + j], decay * state[d * nv + j]);
                }
            }
            if (o != null) {
                Arrays.fill(o, vOff, vOff + nv, 0f);
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
    public void backward(GlaInputs in, float[] go, float[] ghT, GlaGrads grads) {
        int heads = in.heads();
        ComputePool.shared().parallelFor(in.batch() * heads, task -> backwardTask(in, task / heads, task % heads, go,
                ghT, grads));
    }

    private static void backwardTask(GlaInputs in, int bi, int h, float[] go, float[] ghT, GlaGrads grads) {
        int seqLen = in.seqLen();
        int nk = in.keyDim();
        int nv = in.valueDim();
        int kv = nk * nv;
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
        for (int sgm = segments - 1; sgm >= 0; sgm--) {
            int t0 = sgm * SEGMENT;
            int t1 = Math.min(seqLen, t0 + SEGMENT);
            System.arraycopy(checkpoints, sgm * kv, history, 0, kv);
            System.arraycopy(checkpoints, sgm * kv, state, 0, kv);
            run(in, bi, h, t0, t1, state, null, history, kv);
            for (int t = t1 - 1; t >= t0; t--) {
                stepBack(in, bi, h, t, history, (t - t0) * kv, (t - t0 + 1) * kv, go, ds, grads);
            }
        }
        if (grads.h0() != null) {
            for (int i = 0; i < kv; i++) {
                grads.h0()[task * kv + i] += ds[i];
            }
        }
    }

    /** One step of the adjoint recurrence; {@code ds} holds dS_t on entry and dS_{t-1} on exit. */
    private static void stepBack(GlaInputs in, int bi, int h, int t, float[] history, int prevAt, int curAt,
                                 float[] go, float[] ds, GlaGrads grads) {
        int nk = in.keyDim();
        int nv = in.valueDim();
        int row = (bi * in.seqLen() + t) * in.heads() + h;
        int kOff = row * nk;
        int vOff = row * nv;
        float scale = in.scale();
        for (int d = 0; d < nk; d++) {
            float qd = scale * in.q()[kOff + d];
            float kd = in.k()[kOff + d];
            float dq = 0f;
            float dk = 0f;
            float dDecay = 0f;
            float decay = in.logDecay() == null ? 1f : (float) Math.exp(in.logDecay()[kOff + d]);
            for (int j = 0; j < nv; j++) {
                int at = d * nv + j;
                float gj = go[vOff + j];
                dq = Math.fma(history[curAt + at], gj, dq);
                float s = Math.fma(qd, gj, ds[at]);
                dk = Math.fma(s, in.v()[vOff + j], dk);
                grads.v()[vOff + j] = Math.fma(s, kd, grads.v()[vOff + j]);
                dDecay = Math.fma(history[prevAt + at], s, dDecay);
                ds[at] = decay * s;
            }
            grads.q()[kOff + d] += scale * dq;
            grads.k()[kOff + d] += dk;
            if (grads.logDecay() != null) {
                grads.logDecay()[kOff + d] += decay * dDecay;
            }
        }
    }
}
