package dev.recur.core.scan.ssd;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.gemm.Gemm;
import dev.recur.core.scan.ScanParallel;

/**
 * The chunked SSD forward (the "state-space dual" form). Time is cut into chunks of length L; inside a chunk,
 * with {@code cum_t = A * (dt_s + ... + dt_t)} the cumulative log-decay from the chunk's start s:
 * <pre>
 *   y_t  = sum_{s <= tau <= t} (C_t . B_tau) exp(cum_t - cum_tau) dt_tau x_tau    (masked matmul, "attention")
 *        + exp(cum_t) S_in C_t                                                  (the carried-in state)
 *        + D x_t
 *   S_out = exp(cum_end) S_in + sum_tau exp(cum_end - cum_tau) dt_tau x_tau B_tau^T  (state passing)
 * </pre>
 * Every sum over the chunk is a matrix product through {@link Gemm#sgemm}. Tasks are (batch entry, head),
 * each with its own outputs, so results do not depend on the thread count. Equal to {@link SsdReference} up to
 * rounding.
 */
public final class SsdChunked implements SsdKernel {
    private final int chunk;

    /** Chunks of 64 steps. */
    public SsdChunked() {
        this(64);
    }

    public SsdChunked(int chunkLength) {
        if (chunkLength < 1) {
            throw new RecurException("SsdChunked: chunk length must be >= 1, got " + chunkLength);
        }
        this.chunk = chunkLength;
    }

    @Override
    public void forward(SsdInputs in, float[] y, float[] hT) {
        int heads = in.heads();
        ScanParallel.parallelFor(in.batch() * heads, task -> run(in, task / heads, task % heads, y, hT));
    }

    private void run(SsdInputs in, int bi, int h, float[] y, float[] hT) {
        int seqLen = in.seqLen();
        int heads = in.heads();
        int p = in.headDim();
        int n = in.dState();
        int groups = in.groups();
        int g = in.groupOf(h);
        int ldx = heads * p;  // row stride of x and y over time: [B, T, H, P]
        int ldb = groups * n; // row stride of B and C over time: [B, T, G, N]
        float a = in.a()[h];
        float[] state = new float[p * n]; // [P, N]
        if (in.h0() != null) {
            System.arraycopy(in.h0(), (bi * heads + h) * p * n, state, 0, p * n);
        }
        float[] cum = new float[chunk];
        float[] scores = new float[chunk * chunk]; // [L, L]
        float[] carried = new float[chunk * p];    // [L, P]
        float[] weighted = new float[chunk * p];   // [L, P]
        for (int s = 0; s < seqLen; s += chunk) {
            int len = Math.min(chunk, seqLen - s);
            int dtAt = (bi * seqLen + s) * heads + h;
            float acc = 0f;
            for (int k = 0; k < len; k++) {
                acc += in.dt()[dtAt + k * heads] * a;
                cum[k] = acc;
            }
            int xOff = dtAt * p;
            int bOff = ((bi * seqLen + s) * groups + g) * n;
            // scores[t, tau] = C_t . B_tau, then the decay and dt_tau, masked to tau <= t.
            Gemm.sgemm(false, true, len, len, n, in.c(), bOff, ldb, in.b(), bOff, ldb, scores, 0, len, false);
            for (int t = 0; t < len; t++) {
                for (int tau = 0; tau < len; tau++) {
                    int at = t * len + tau;
                    scores[at] = tau <= t
                            ? scores[at] * (float) Math.exp(cum[t] - cum[tau]) * in.dt()[dtAt + tau * heads] : 0f;
                }
            }
            Gemm.sgemm(false, false, len, p, len, scores, 0, len, in.x(), xOff, ldx, y, xOff, ldx, false);
            // carried[t, p] = sum_n C_t[n] S_in[p, n]
            Gemm.sgemm(false, true, len, p, n, in.c(), bOff, ldb, state, 0, n, carried, 0, p, false);
            float cumEnd = cum[len - 1];
            for (int t = 0; t < len; t++) {
                float decayIn = (float) Math.exp(cum[t]);
                float toEnd = (float) Math.exp(cumEnd - cum[t]) * in.dt()[dtAt + t * heads];
                int row = xOff + t * ldx;
                for (int i = 0; i < p; i++) {
                    float v = Math.fma(decayIn, carried[t * p + i], y[row + i]);
                    y[row + i] = in.dSkip() == null ? v : Math.fma(in.dSkip()[h], in.x()[row + i], v);
                    weighted[t * p + i] = in.x()[row + i] * toEnd;
                }
            }
            float decayAll = (float) Math.exp(cumEnd);
            for (int k = 0; k < state.length; k++) {
                state[k] *= decayAll;
            }
            // S_out += weighted^T B: [P, L] x [L, N]
            Gemm.sgemm(true, false, p, n, len, weighted, 0, p, in.b(), bOff, ldb, state, 0, n, true);
        }
        System.arraycopy(state, 0, hT, (bi * heads + h) * p * n, p * n);
    }
}
