package dev.recur.layers.ffn;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * PyTorch's {@code zeros(rows, D).index_add_(0, index_k, source_k)} for several sources in turn: row {@code i} of
 * source {@code k} is added into output row {@code indices[k][i]}, source after source, row after row (so the
 * float sums are in the same order as a loop of {@code index_add_} calls). Derivative: each source row gets the
 * output gradient of the row it was added into.
 */
final class IndexAdd {
    private IndexAdd() {}

    /** Sources {@code [n_k, D]} with indices {@code [n_k]} in {@code [0, rows)}: output {@code [rows, D]}. */
    static Tensor sum(int rows, int width, Tensor[] sources, int[][] indices) {
        if (rows < 0 || width < 0 || sources.length != indices.length) {
            throw new RecurException("indexAdd: expected rows, width >= 0 and one index array per source, got rows="
                    + rows + ", width=" + width + ", " + sources.length + " sources and " + indices.length
                    + " index arrays");
        }
        for (int k = 0; k < sources.length; k++) {
            Shapes.require("indexAdd", "source " + k, new int[] {indices[k].length, width}, sources[k].shape());
            for (int r : indices[k]) {
                if (r < 0 || r >= rows) {
                    throw new RecurException("indexAdd: index of source " + k + " must be in [0, " + rows + "), got "
                            + r);
                }
            }
        }
        int[][] idx = new int[indices.length][];
        for (int k = 0; k < indices.length; k++) {
            idx[k] = indices[k].clone();
        }
        // [rows, D]
        float[] y = new float[rows * width];
        for (int k = 0; k < sources.length; k++) {
            float[] s = sources[k].data();
            for (int i = 0; i < idx[k].length; i++) {
                int dst = idx[k][i] * width;
                for (int j = 0; j < width; j++) {
                    y[dst + j] += s[i * width + j];
                }
            }
        }
        return Tensor.result("indexAdd", y, new int[] {rows, width}, dy -> {
            for (int k = 0; k < sources.length; k++) {
                float[] g = sources[k].gradBuffer();
                if (g == null) {
                    continue;
                }
                for (int i = 0; i < idx[k].length; i++) {
                    int src = idx[k][i] * width;
                    for (int j = 0; j < width; j++) {
                        g[i * width + j] += dy[src + j];
                    }
                }
            }
        }, sources);
    }
}
