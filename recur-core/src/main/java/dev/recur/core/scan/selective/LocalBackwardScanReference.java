package dev.recur.core.scan.selective;

/**
 * The scalar ground truth of the local backward scan ({@link LocalBackwardScanKernel}): plain loops, one
 * (batch entry, channel, window) at a time. Its backward re-runs the window's scan, keeping the window's
 * {@code W * N} carried states and decays in scratch buffers, so it stores nothing between forward and backward.
 */
public final class LocalBackwardScanReference implements LocalBackwardScanKernel {
    @Override
    public void forward(SelectiveScanInputs in, int window, float[] y) {
        for (int bi = 0; bi < in.batch(); bi++) {
            for (int d = 0; d < in.channels(); d++) {
                for (int w0 = 0; w0 < in.seqLen(); w0 += window) {
                    forwardWindow(in, bi, d, w0, Math.min(in.seqLen(), w0 + window), y, null, null);
                }
            }
        }
    }

    @Override
    public void backward(SelectiveScanInputs in, int window, float[] gy, SelectiveScanGrads grads) {
        int n = in.dState();
        int w = Math.min(window, in.seqLen());
        float[] carried = new float[w * n];
        float[] decay = new float[w * n];
        float[] g = new float[n];
        for (int bi = 0; bi < in.batch(); bi++) {
            for (int d = 0; d < in.channels(); d++) {
                for (int w0 = 0; w0 < in.seqLen(); w0 += window) {
                    int w1 = Math.min(in.seqLen(), w0 + window);
                    forwardWindow(in, bi, d, w0, w1, null, carried, decay);
                    backwardWindow(in, bi, d, w0, w1, gy, grads, carried, decay, g);
                }
            }
        }
    }

    /**
     * The right-to-left scan of steps {@code [w0, w1)} of channel {@code d}, batch entry {@code bi}. Writes
     * {@code y} when non-null; fills {@code carried} ({@code [W, N]}: {@code hR[t+1]}, the state entering step
     * t) and {@code decay} ({@code [W, N]}: {@code exp(delta_t A)}) when non-null, indexed from {@code w0}.
     */
    static void forwardWindow(SelectiveScanInputs in, int bi, int d, int w0, int w1, float[] y, float[] carried,
                              float[] decay) {
        int seqLen = in.seqLen();
        int dd = in.channels();
        int n = in.dState();
        float[] h = new float[n];
        for (int t = w1 - 1; t >= w0; t--) {
            int i = (bi * seqLen + t) * dd + d; // [B, T, D]
            int row = (bi * seqLen + t) * n;    // [B, T, N]
            float dt = in.delta()[i];
            float du = dt * in.u()[i];
            float acc = 0f;
            for (int s = 0; s < n; s++) {
                float da = (float) Math.exp(dt * in.a()[d * n + s]);
                if (carried != null) {
                    carried[(t - w0) * n + s] = h[s];
                    decay[(t - w0) * n + s] = da;
                }
                float q = da * h[s];
                acc = Math.fma(q, in.c()[row + s], acc);
                h[s] = Math.fma(du, in.b()[row + s], q);
            }
            if (y != null) {
                y[i] = acc;
            }
        }
    }

    /** The adjoint of {@link #forwardWindow}, left to right; {@code g} is an N-float scratch buffer. */
    static void backwardWindow(SelectiveScanInputs in, int bi, int d, int w0, int w1, float[] gy,
                               SelectiveScanGrads grads, float[] carried, float[] decay, float[] g) {
        int seqLen = in.seqLen();
        int dd = in.channels();
        int n = in.dState();
        java.util.Arrays.fill(g, 0f);
        for (int t = w0; t < w1; t++) {
            int i = (bi * seqLen + t) * dd + d;
            int row = (bi * seqLen + t) * n;
            float dt = in.delta()[i];
            float ut = in.u()[i];
            float gyt = gy[i];
            float duAcc = 0f;
            float ddt = 0f;
            for (int s = 0; s < n; s++) {
                int k = (t - w0) * n + s;
                float gs = g[s];                 // dL/dhR_t
                float bS = in.b()[row + s];
                float q = Math.fma(gyt, in.c()[row + s], gs); // dL/d(exp(delta_t A) hR_{t+1})
                float decayH = decay[k] * carried[k];
                grads.c()[row + s] += gyt * decayH;
                grads.b()[row + s] += gs * dt * ut;
                duAcc = Math.fma(gs, dt * bS, duAcc);
                ddt = Math.fma(gs, bS * ut, Math.fma(q, in.a()[d * n + s] * decayH, ddt));
                grads.a()[d * n + s] += q * dt * decayH;
                g[s] = decay[k] * q;
            }
            grads.u()[i] += duAcc;
            grads.delta()[i] += ddt;
        }
    }
}
