package dev.recur.layers.ssm.mamba;

/**
 * The scalar ground truth of {@link DotRowsVector}: {@code y[r, j] = sum_p x[r, p] w[j, p]} for
 * {@code x [rows, in]} and a weight stored {@code [out, in]}, one {@code fma} chain per element in order of p.
 */
final class DotRowsReference {
    private DotRowsReference() {}

    static void multiply(float[] x, int rows, int in, float[] w, int out, float[] y) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                float s = 0f;
                for (int p = 0; p < in; p++) {
                    s = Math.fma(x[r * in + p], w[j * in + p], s);
                }
                y[r * out + j] = s;
            }
        }
    }
}
