package dev.recur.core.scan.ssd;

/**
 * The sequential SSD recurrence in plain loops: the ground truth for {@link SsdChunked}, and the backward of
 * the {@link Ssd} op whichever kernel ran the forward.
 *
 * <p>The backward re-runs the forward of one (batch, head) pair at a time, keeping its {@code (T+1) * P * N}
 * states in a scratch buffer, then runs the adjoint recurrence {@code G_t = gy_t C_t^T + exp(dt_{t+1} A)
 * G_{t+1}} backward in time. Nothing is stored between forward and backward.
 */
public final class SsdReference implements SsdKernel {
    @Override
    public void forward(SsdInputs in, float[] y, float[] hT) {
        float[] state = new float[in.headDim() * in.dState()];
        for (int bi = 0; bi < in.batch(); bi++) {
            for (int h = 0; h < in.heads(); h++) {
                run(in, bi, h, state, y, null);
                System.arraycopy(state, 0, hT, (bi * in.heads() + h) * state.length, state.length);
            }
        }
    }

    /**
     * The forward of one (batch, head) pair: leaves the final state in {@code state [P, N]}, writes {@code y}
     * when non-null and every state into {@code history [T+1, P, N]} when non-null.
     */
    private static void run(SsdInputs in, int bi, int h, float[] state, float[] y, float[] history) {
        int seqLen = in.seqLen();
        int heads = in.heads();
        int p = in.headDim();
        int n = in.dState();
        int g = in.groupOf(h);
        int pn = p * n;
        if (in.h0() == null) {
            java.util.Arrays.fill(state, 0f);
        } else {
            System.arraycopy(in.h0(), (bi * heads + h) * pn, state, 0, pn);
        }
        if (history != null) {
            System.arraycopy(state, 0, history, 0, pn);
        }
        for (int t = 0; t < seqLen; t++) {
            float dt = in.dt()[(bi * seqLen + t) * heads + h];
            float decay = (float) Math.exp(dt * in.a()[h]);
            int xRow = ((bi * seqLen + t) * heads + h) * p;        // [B, T, H, P]
            int bRow = ((bi * seqLen + t) * in.groups() + g) * n;  // [B, T, G, N]
            for (int i = 0; i < p; i++) {
                float dtx = dt * in.x()[xRow + i];
                float acc = 0f;
                for (int s = 0; s < n; s++) {
                    float v = Math.fma(decay, state[i * n + s], dtx * in.b()[bRow + s]);
                    state[i * n + s] = v;
                    acc = Math.fma(v, in.c()[bRow + s], acc);
                }
                if (y != null) {
                    y[xRow + i] = in.dSkip() == null ? acc : Math.fma(in.dSkip()[h], in.x()[xRow + i], acc);
                }
            }
            if (history != null) {
                System.arraycopy(state, 0, history, (t + 1) * pn, pn);
            }
        }
    }

    /** Adds the gradients of {@code sum(y * gy) + sum(hT * ghT)} into {@code grads}; {@code ghT} may be null. */
    public static void backward(SsdInputs in, float[] gy, float[] ghT, SsdGrads grads) {
        int seqLen = in.seqLen();
        int heads = in.heads();
        int p = in.headDim();
        int n = in.dState();
        int pn = p * n;
        float[] history = new float[(seqLen + 1) * pn];
        float[] state = new float[pn];
        float[] gs = new float[pn];
        for (int bi = 0; bi < in.batch(); bi++) {
            for (int h = 0; h < heads; h++) {
                int g = in.groupOf(h);
                run(in, bi, h, state, null, history);
                if (ghT == null) {
                    java.util.Arrays.fill(gs, 0f);
                } else {
                    System.arraycopy(ghT, (bi * heads + h) * pn, gs, 0, pn);
                }
                float a = in.a()[h];
                for (int t = seqLen - 1; t >= 0; t--) {
                    int dtAt = (bi * seqLen + t) * heads + h;
                    float dt = in.dt()[dtAt];
                    float decay = (float) Math.exp(dt * a);
                    int xRow = dtAt * p;
                    int bRow = ((bi * seqLen + t) * in.groups() + g) * n;
                    float ddt = 0f;
                    float dA = 0f;
                    for (int i = 0; i < p; i++) {
                        float gyi = gy[xRow + i];
                        float xi = in.x()[xRow + i];
                        float dxAcc = in.dSkip() == null ? 0f : gyi * in.dSkip()[h];
                        if (grads.dSkip() != null) {
                            grads.dSkip()[h] += gyi * xi;
                        }
                        for (int s = 0; s < n; s++) {
                            int k = i * n + s;
                            float prev = history[t * pn + k];
                            float bS = in.b()[bRow + s];
                            float gk = Math.fma(gyi, in.c()[bRow + s], gs[k]);
                            grads.c()[bRow + s] += gyi * history[(t + 1) * pn + k];
                            grads.b()[bRow + s] += gk * dt * xi;
                            dxAcc = Math.fma(gk, dt * bS, dxAcc);
                            ddt = Math.fma(gk, Math.fma(a * decay, prev, xi * bS), ddt);
                            dA = Math.fma(gk, dt * decay * prev, dA);
                            gs[k] = decay * gk;
                        }
                        grads.x()[xRow + i] += dxAcc;
                    }
                    grads.dt()[dtAt] += ddt;
                    grads.a()[h] += dA;
                }
                if (grads.h0() != null) {
                    for (int k = 0; k < pn; k++) {
                        grads.h0()[(bi * heads + h) * pn + k] += gs[k];
                    }
                }
            }
        }
    }
}
