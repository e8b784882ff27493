package dev.recur.core.scan.diagonal;

/**
 * The scalar ground truth of the diagonal scan: one plain loop over time, channels inner, with
 * {@link Math#fma} so that the vector kernel, doing the same operations in the same order, matches it bit for
 * bit.
 */
public final class DiagonalScanReference implements DiagonalScanKernel {
    @Override
    public void forward(float[] a, float[] b, float[] h0, float[] h, float[] hT, int batch, int seqLen,
                        int channels) {
        int d = channels;
        for (int bi = 0; bi < batch; bi++) {
            for (int c = 0; c < d; c++) {
                float state = h0 == null ? 0f : h0[bi * d + c];
                for (int t = 0; t < seqLen; t++) {
                    int i = (bi * seqLen + t) * d + c; // [B, T, D]
                    state = Math.fma(a[i], state, b[i]);
                    h[i] = state;
                }
                hT[bi * d + c] = state;
            }
        }
    }

    @Override
    public void backward(float[] a, float[] h, float[] h0, float[] gh, float[] ghT,
                         float[] da, float[] db, float[] dh0, int batch, int seqLen, int channels) {
        int d = channels;
        for (int bi = 0; bi < batch; bi++) {
            for (int c = 0; c < d; c++) {
                float g = ghT == null ? 0f : ghT[bi * d + c];
                // The final state's gradient enters g_{T-1} with weight 1, as if a_T were 1.
                float aNext = 1f;
                for (int t = seqLen - 1; t >= 0; t--) {
                    int i = (bi * seqLen + t) * d + c;
                    g = Math.fma(aNext, g, gh[i]);
                    float prev = t > 0 ? h[i - d] : (h0 == null ? 0f : h0[bi * d + c]);
                    db[i] = g;
                    da[i] = g * prev;
                    aNext = a[i];
                }
                if (dh0 != null) {
                    dh0[bi * d + c] = aNext * g;
                }
            }
        }
    }
}
