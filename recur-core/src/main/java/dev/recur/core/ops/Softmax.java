package dev.recur.core.ops;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.rows.RowKernels;
import dev.recur.core.kernel.rows.SoftmaxRows;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * Softmax and log-softmax along one axis, numerically stable (the maximum along the axis is subtracted first).
 * Derivatives: softmax {@code dx = y * (dy - sum(dy * y))}; log-softmax {@code dx = dy - softmax(x) * sum(dy)}.
 * The last axis runs on the row kernels directly; another axis is gathered into rows first.
 */
public final class Softmax {
    private Softmax() {}

    public static Tensor softmax(Tensor x, int axis) {
        return apply("softmax", x, axis, false);
    }

    public static Tensor logSoftmax(Tensor x, int axis) {
        return apply("logSoftmax", x, axis, true);
    }

    private static Tensor apply(String op, Tensor x, int axis, boolean log) {
        if (x.rank() == 0) {
            throw new RecurException(op + ": expected a tensor of rank >= 1, got a scalar");
        }
        int[] shape = x.shape();
        int a = Shapes.axis(op, axis, shape.length);
        int outer = Shapes.product(shape, 0, a);
        int n = shape[a];
        int inner = Shapes.product(shape, a + 1, shape.length);
        int rows = outer * inner;
        SoftmaxRows kernel = RowKernels.softmax();
        // Rows of the softmax: the input itself on the last axis, else a gathered copy [outer * inner, n].
        float[] xr = inner == 1 ? x.data() : toRows(x.data(), outer, n, inner);
        float[] yr = new float[xr.length];
        if (log) {
            kernel.logSoftmax(xr, yr, rows, n);
        } else {
            kernel.softmax(xr, yr, rows, n);
        }
        float[] y = inner == 1 ? yr : fromRows(yr, outer, n, inner);
        return Tensor.result(op, y, shape, dy -> {
            float[] gx = x.gradBuffer();
            if (gx == null) {
                return;
            }
            if (inner == 1) {
                backward(kernel, log, yr, dy, gx, rows, n);
                return;
            }
            float[] dxr = new float[yr.length];
            backward(kernel, log, yr, toRows(dy, outer, n, inner), dxr, rows, n);
            float[] dx = fromRows(dxr, outer, n, inner);
            for (int i = 0; i < gx.length; i++) {
                gx[i] += dx[i];
            }
        }, x);
    }

    private static void backward(SoftmaxRows kernel, boolean log, float[] y, float[] dy, float[] dx, int rows,
                                 int n) {
        if (log) {
            kernel.logSoftmaxBackward(y, dy, dx, rows, n);
        } else {
            kernel.softmaxBackward(y, dy, dx, rows, n);
        }
    }

    /** [outer, n, inner] -> [outer, inner, n]. */
    private static float[] toRows(float[] x, int outer, int n, int inner) {
        float[] r = new float[x.length];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < n; j++) {
                int src = (o * n + j) * inner;
                for (int i = 0; i < inner; i++) {
                    r[(o * inner + i) * n + j] = x[src + i];
                }
            }
        }
        return r;
    }

    /** [outer, inner, n] -> [outer, n, inner]. */
    private static float[] fromRows(float[] r, int outer, int n, int inner) {
        float[] x = new float[r.length];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < n; j++) {
                int dst = (o * n + j) * inner;
                for (int i = 0; i < inner; i++) {
                    x[dst + i] = r[(o * inner + i) * n + j];
                }
            }
        }
        return x;
    }
}
