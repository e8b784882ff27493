package dev.recur.core.scan.selective;

/**
 * The scalar ground truth of the selective scan: plain loops, one (batch, channel) pair at a time, following
 * {@code selective_scan_ref} step by step.
 *
 * <p>Its backward re-runs the forward of one channel at a time, keeping that channel's {@code T * N} states
 * in a scratch buffer, so it stores nothing between forward and backward.
 */
public final class SelectiveScanReference implements SelectiveScanKernel {
    @Override
    public float[] forward(SelectiveScanInputs in, float[] y, float[] hT, boolean saveForBackward) {
        for (int bi = 0; bi < in.batch(); bi++) {
            for (int d = 0; d < in.channels(); d++) {
                forwardChannel(in, bi, d, y, hT, null, null);
            }
        }
        return null;
    }

    @Override
    public void backward(SelectiveScanInputs in, float[] saved, float[] gy, float[] ghT, SelectiveScanGrads grads) {
        float[] history = new float[(in.seqLen() + 1) * in.dState()];
        float[] decay = new float[in.seqLen() * in.dState()];
        for (int bi = 0; bi < in.batch(); bi++) {
            for (int d = 0; d < in.channels(); d++) {
                backwardChannel(in, bi, d, gy, ghT, grads.u(), grads.delta(), grads.a(), grads.b(), grads.c(),
                        grads.dSkip(), grads.h0(), history, decay);
            }
        }
    }

    /**
     * The forward of channel {@code d} of batch entry {@code bi}. Writes {@code y} and {@code hT} when they are
     * non-null; fills {@code history} ({@code [T+1, N]}: the initial state, then the state after each step) and
     * {@code decay} ({@code [T, N]}: {@code exp(delta_t * A)}) when they are non-null.
     */
    static void forwardChannel(SelectiveScanInputs in, int bi, int d, float[] y, float[] hT, float[] history,
                               float[] decay) {
        int seqLen = in.seqLen();
        int dd = in.channels();
        int n = in.dState();
        float[] h = new float[n];
        int stateAt = (bi * dd + d) * n; // [B, D, N]
        if (in.h0() != null) {
            System.arraycopy(in.h0(), stateAt, h, 0, n);
        }
        if (history != null) {
            System.arraycopy(h, 0, history, 0, n);
        }
        for (int t = 0; t < seqLen; t++) {
            int i = (bi * seqLen + t) * dd + d; // [B, T, D]
            int row = (bi * seqLen + t) * n;    // [B, T, N]
            float dt = in.delta()[i];
            float ut = in.u()[i];
            float du = dt * ut;
            float acc = 0f;
            for (int s = 0; s < n; s++) {
                float da = (float) Math.exp(dt * in.a()[d * n + s]);
                h[s] = Math.fma(da, h[s], du * in.b()[row + s]);
                acc = Math.fma(h[s], in.c()[row + s], acc);
                if (decay != null) {
                    decay[t * n + s] = da;
                }
            }
            if (history != null) {
                System.arraycopy(h, 0, history, (t + 1) * n, n);
            }
            if (y != null) {
                y[i] = in.dSkip() == null ? acc : Math.fma(in.dSkip()[d], ut, acc);
            }
        }
        if (hT != null) {
            System.arraycopy(h, 0, hT, stateAt, n);
        }
    }

    /**
     * The backward of channel {@code d} of batch entry {@code bi}, adding into the given targets: {@code du},
     * {@code ddelta} {@code [B, T, D]}, {@code dA} {@code [D, N]}, {@code dB}, {@code dC} {@code [B, T, N]},
     * {@code dD} {@code [D]} and {@code dh0} {@code [B, D, N]} (the last two may be null). {@code history}
     * and {@code decay} are scratch buffers of {@code (T+1) * N} and {@code T * N} floats.
     */
    static void backwardChannel(SelectiveScanInputs in, int bi, int d, float[] gy, float[] ghT,
                                float[] du, float[] ddelta, float[] dA, float[] dB, float[] dC, float[] dD,
                                float[] dh0, float[] history, float[] decay) {
        forwardChannel(in, bi, d, null, null, history, decay);
        int seqLen = in.seqLen();
        int dd = in.channels();
        int n = in.dState();
        int stateAt = (bi * dd + d) * n;
        // g[s]: the gradient reaching h_t[s] from later steps (and from the final state).
        float[] g = new float[n];
        if (ghT != null) {
            System.arraycopy(ghT, stateAt, g, 0, n);
        }
        for (int t = seqLen - 1; t >= 0; t--) {
            int i = (bi * seqLen + t) * dd + d;
            int row = (bi * seqLen + t) * n;
            float dt = in.delta()[i];
            float ut = in.u()[i];
            float gyt = gy[i];
            float duAcc = in.dSkip() == null ? 0f : gyt * in.dSkip()[d];
            if (dD != null) {
                dD[d] += gyt * ut;
            }
            float ddt = 0f;
            for (int s = 0; s < n; s++) {
                float hCur = history[(t + 1) * n + s];
                float hPrev = history[t * n + s];
                float decayS = decay[t * n + s];
                float bS = in.b()[row + s];
                float gs = Math.fma(gyt, in.c()[row + s], g[s]);
                dC[row + s] += gyt * hCur;
                dB[row + s] += gs * dt * ut;
                duAcc = Math.fma(gs, dt * bS, duAcc);
                ddt = Math.fma(gs, Math.fma(in.a()[d * n + s] * decayS, hPrev, bS * ut), ddt);
                dA[d * n + s] += gs * dt * decayS * hPrev;
                g[s] = decayS * gs;
            }
            du[i] += duAcc;
            ddelta[i] += ddt;
        }
        if (dh0 != null) {
            for (int s = 0; s < n; s++) {
                dh0[stateAt + s] += g[s];
            }
        }
    }
}
