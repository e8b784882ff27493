package dev.recur.core.ops;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.elementwise.Elementwise;
import dev.recur.core.kernel.elementwise.ElementwiseKernel;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ops that move elements without changing them: reshape, transpose/permute, concat, split, slice, flip,
 * unsqueeze/squeeze. Tensors have no views, so each returns a new contiguous tensor; derivatives scatter the
 * upstream gradient back to where each element came from.
 */
public final class Reshaping {
    private Reshaping() {}

    /** The same elements in row-major order under a new shape; one dimension may be {@code -1} (inferred). */
    public static Tensor reshape(Tensor x, int... shape) {
        int[] out = shape.clone();
        int infer = -1;
        long known = 1;
        for (int d = 0; d < out.length; d++) {
            if (out[d] == -1 && infer < 0) {
                infer = d;
            } else if (out[d] < 0) {
                throw new RecurException("reshape: expected dimensions >= 0 and at most one -1, got "
                        + Shapes.format(shape) + " for input " + Shapes.format(x.shape()));
            } else {
                known *= out[d];
            }
        }
        if (infer >= 0) {
            if (known == 0 || x.size() % known != 0) {
                throw new RecurException("reshape: cannot infer the -1 in " + Shapes.format(shape) + " for input "
                        + Shapes.format(x.shape()) + " (" + x.size() + " elements)");
            }
            out[infer] = (int) (x.size() / known);
            known *= out[infer];
        }
        if (known != x.size()) {
            throw new RecurException("reshape: shape " + Shapes.format(shape) + " has " + known
                    + " elements, input " + Shapes.format(x.shape()) + " has " + x.size());
        }
        return relabel("reshape", x, out);
    }

    /** Inserts an axis of size 1 at {@code axis} (in {@code [-rank-1, rank]}). */
    public static Tensor unsqueeze(Tensor x, int axis) {
        int rank = x.rank();
        int a = Shapes.axis("unsqueeze", axis, rank + 1);
        int[] s = x.shape();
        int[] out = new int[rank + 1];
        System.arraycopy(s, 0, out, 0, a);
        out[a] = 1;
        System.arraycopy(s, a, out, a + 1, rank - a);
        return relabel("unsqueeze", x, out);
    }

    /** Removes {@code axis}, which must have size 1. */
    public static Tensor squeeze(Tensor x, int axis) {
        int a = Shapes.axis("squeeze", axis, x.rank());
        int[] s = x.shape();
        if (s[a] != 1) {
            throw new RecurException("squeeze: axis " + axis + " of shape " + Shapes.format(s) + " has size " + s[a]
                    + ", expected 1");
        }
        int[] out = new int[s.length - 1];
        System.arraycopy(s, 0, out, 0, a);
        System.arraycopy(s, a + 1, out, a, s.length - a - 1);
        return relabel("squeeze", x, out);
    }

    /** Swaps two axes. */
    public static Tensor transpose(Tensor x, int axisA, int axisB) {
        int rank = x.rank();
        int a = Shapes.axis("transpose", axisA, rank);
        int b = Shapes.axis("transpose", axisB, rank);
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[a] = b;
        perm[b] = a;
        return permute("transpose", x, perm);
    }

    /** Reorders axes: output axis {@code i} is input axis {@code perm[i]}. */
    public static Tensor permute(Tensor x, int... perm) {
        return permute("permute", x, perm);
    }

    private static Tensor permute(String op, Tensor x, int[] perm) {
        int rank = x.rank();
        int[] s = x.shape();
        if (perm.length != rank) {
            throw new RecurException(op + ": expected a permutation of " + rank + " axes for shape "
                    + Shapes.format(s) + ", got " + Arrays.toString(perm));
        }
        boolean[] seen = new boolean[rank];
        int[] p = new int[rank];
        for (int i = 0; i < rank; i++) {
            int a = perm[i] < 0 ? perm[i] + rank : perm[i];
            if (a < 0 || a >= rank || seen[a]) {
                throw new RecurException(op + ": expected a permutation of " + rank + " axes for shape "
                        + Shapes.format(s) + ", got " + Arrays.toString(perm));
            }
            seen[a] = true;
            p[i] = a;
        }
        int[] out = new int[rank];
        int[] inStride = Shapes.strides(s);
        int[] srcStride = new int[rank];
        for (int i = 0; i < rank; i++) {
            out[i] = s[p[i]];
            srcStride[i] = inStride[p[i]];
        }
        ElementwiseKernel k = Elementwise.kernel();
        float[] xd = x.data();
        float[] y = new float[xd.length];
        StridedRows rows = new StridedRows(out, srcStride);
        rows.gather(xd, y);
        return Tensor.result(op, y, out, g -> {
            float[] gx = x.gradBuffer();
            if (gx != null) {
                rows.scatterAdd(k, g, gx);
            }
        }, x);
    }

    /** Joins tensors along {@code axis}; all other dimensions must agree. */
    public static Tensor concat(int axis, Tensor... xs) {
        if (xs.length == 0) {
            throw new RecurException("concat: expected at least one tensor, got none");
        }
        int[] first = xs[0].shape();
        int a = Shapes.axis("concat", axis, first.length);
        int total = 0;
        for (int i = 0; i < xs.length; i++) {
            int[] s = xs[i].shape();
            boolean ok = s.length == first.length;
            for (int d = 0; ok && d < s.length; d++) {
                ok = d == a || s[d] == first[d];
            }
            if (!ok) {
                throw new RecurException("concat: along axis " + axis + " tensor " + i + " has shape "
                        + Shapes.format(s) + ", incompatible with tensor 0's " + Shapes.format(first));
            }
            total += s[a];
        }
        int[] out = first.clone();
        out[a] = total;
        int outer = Shapes.product(first, 0, a);
        int inner = Shapes.product(first, a + 1, first.length);
        // each input i: [outer, dim_i, inner] -> y: [outer, total, inner]
        int outRow = total * inner;
        float[] y = new float[Shapes.numel(out)];
        int[] starts = new int[xs.length];
        for (int i = 0, at = 0; i < xs.length; i++) {
            starts[i] = at;
            int chunk = xs[i].dim(a) * inner;
            float[] src = xs[i].data();
            for (int o = 0; o < outer; o++) {
                System.arraycopy(src, o * chunk, y, o * outRow + at, chunk);
            }
            at += chunk;
        }
        ElementwiseKernel k = Elementwise.kernel();
        Tensor[] inputs = xs.clone();
        return Tensor.result("concat", y, out, g -> {
            for (int i = 0; i < inputs.length; i++) {
                float[] gi = inputs[i].gradBuffer();
                if (gi == null) {
                    continue;
                }
                int chunk = inputs[i].dim(a) * inner;
                for (int o = 0; o < outer; o++) {
                    k.axpy(1f, g, o * outRow + starts[i], gi, o * chunk, chunk);
                }
            }
        }, inputs);
    }

    /** Cuts {@code x} along {@code axis} into consecutive pieces of the given sizes (which must add up). */
    public static List<Tensor> split(Tensor x, int axis, int... sizes) {
        int a = Shapes.axis("split", axis, x.rank());
        long sum = 0;
        for (int size : sizes) {
            if (size < 0) {
                throw new RecurException("split: sizes must be >= 0, got " + Arrays.toString(sizes));
            }
            sum += size;
        }
        if (sum != x.dim(a)) {
            throw new RecurException("split: sizes " + Arrays.toString(sizes) + " add up to " + sum
                    + ", axis " + axis + " of shape " + Shapes.format(x.shape()) + " has " + x.dim(a));
        }
        List<Tensor> pieces = new ArrayList<>(sizes.length);
        int start = 0;
        for (int size : sizes) {
            pieces.add(slice("split", x, a, start, start + size, 1));
            start += size;
        }
        return pieces;
    }

    /** Elements {@code start, start+1, ..., end-1} along {@code axis}; negative bounds count from the end. */
    public static Tensor slice(Tensor x, int axis, int start, int end) {
        return slice(x, axis, start, end, 1);
    }

    /** Elements {@code start, start+step, ...} below {@code end} along {@code axis} ({@code step >= 1}). */
    public static Tensor slice(Tensor x, int axis, int start, int end, int step) {
        int a = Shapes.axis("slice", axis, x.rank());
        int n = x.dim(a);
        int s = start < 0 ? start + n : start;
        int e = end < 0 ? end + n : end;
        if (step < 1 || s < 0 || e > n || s > e) {
            throw new RecurException("slice: expected 0 <= start <= end <= " + n + " and step >= 1 on axis "
                    + axis + " of shape " + Shapes.format(x.shape()) + ", got start=" + start + " end=" + end
                    + " step=" + step);
        }
        return slice("slice", x, a, s, e, step);
    }

    /** The elements in reverse order along {@code axis} (a time reversal for a bi-directional scan). */
    public static Tensor flip(Tensor x, int axis) {
        int a = Shapes.axis("flip", axis, x.rank());
        int[] s = x.shape();
        int outer = Shapes.product(s, 0, a);
        int inner = Shapes.product(s, a + 1, s.length);
        int n = s[a];
        // x: [outer, n, inner] -> y[o, j] = x[o, n-1-j]
        float[] xd = x.data();
        float[] y = new float[xd.length];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < n; j++) {
                System.arraycopy(xd, (o * n + n - 1 - j) * inner, y, (o * n + j) * inner, inner);
            }
        }
        ElementwiseKernel k = Elementwise.kernel();
        return Tensor.result("flip", y, s, g -> {
            float[] gx = x.gradBuffer();
            if (gx == null) {
                return;
            }
            for (int o = 0; o < outer; o++) {
                for (int j = 0; j < n; j++) {
                    k.axpy(1f, g, (o * n + j) * inner, gx, (o * n + n - 1 - j) * inner, inner);
                }
            }
        }, x);
    }

    private static Tensor slice(String op, Tensor x, int a, int start, int end, int step) {
        int[] s = x.shape();
        int len = (end - start + step - 1) / step;
        int[] out = s.clone();
        out[a] = len;
        int outer = Shapes.product(s, 0, a);
        int inner = Shapes.product(s, a + 1, s.length);
        int n = s[a];
        // x: [outer, n, inner] -> y: [outer, len, inner]
        float[] xd = x.data();
        float[] y = new float[Shapes.numel(out)];
        for (int o = 0; o < outer; o++) {
            if (step == 1) {
                System.arraycopy(xd, (o * n + start) * inner, y, o * len * inner, len * inner);
            } else {
                for (int j = 0; j < len; j++) {
                    System.arraycopy(xd, (o * n + start + j * step) * inner, y, (o * len + j) * inner, inner);
                }
            }
        }
        ElementwiseKernel k = Elementwise.kernel();
        return Tensor.result(op, y, out, g -> {
            float[] gx = x.gradBuffer();
            if (gx == null) {
                return;
            }
            for (int o = 0; o < outer; o++) {
                if (step == 1) {
                    // The slice's rows are contiguous in x too: one call per outer row, not one per element
                    // when the slice is along the last axis.
                    k.axpy(1f, g, o * len * inner, gx, (o * n + start) * inner, len * inner);
                    continue;
                }
                for (int j = 0; j < len; j++) {
                    k.axpy(1f, g, (o * len + j) * inner, gx, (o * n + start + j * step) * inner, inner);
                }
            }
        }, x);
    }

    /** A new tensor with the same elements in the same order under another shape; the gradient passes through. */
    private static Tensor relabel(String op, Tensor x, int[] shape) {
        ElementwiseKernel k = Elementwise.kernel();
        return Tensor.result(op, x.data().clone(), shape, g -> {
            float[] gx = x.gradBuffer();
            if (gx != null) {
                k.axpy(1f, g, 0, gx, 0, gx.length);
            }
        }, x);
    }

    /**
     * Walks the output of a permutation in row-major order, row by row along its last axis, knowing where each
     * row's elements sit in the input ({@code srcStride[i]}: the input stride of output axis {@code i}).
     */
    private static final class StridedRows {
        private final int rowLen;
        private final int rowStride;
        private final int[] rowStarts;

        StridedRows(int[] out, int[] srcStride) {
            int rank = out.length;
            rowLen = rank == 0 ? 1 : out[rank - 1];
            rowStride = rank == 0 ? 1 : srcStride[rank - 1];
            int rows = rank == 0 ? 1 : Shapes.product(out, 0, rank - 1);
            rowStarts = new int[Shapes.numel(out) == 0 ? 0 : rows];
            int[] idx = new int[Math.max(rank - 1, 0)];
            int off = 0;
            for (int r = 0; r < rowStarts.length; r++) {
                rowStarts[r] = off;
                for (int d = rank - 2; d >= 0; d--) {
                    idx[d]++;
                    off += srcStride[d];
                    if (idx[d] < out[d]) {
                        break;
                    }
                    off -= srcStride[d] * out[d];
                    idx[d] = 0;
                }
            }
        }

        void gather(float[] src, float[] dst) {
            for (int r = 0; r < rowStarts.length; r++) {
                int from = rowStarts[r];
                int to = r * rowLen;
                if (rowStride == 1) {
                    System.arraycopy(src, from, dst, to, rowLen);
                } else {
                    for (int j = 0; j < rowLen; j++) {
                        dst[to + j] = src[from + j * rowStride];
                    }
                }
            }
        }

        void scatterAdd(ElementwiseKernel k, float[] g, float[] dst) {
            for (int r = 0; r < rowStarts.length; r++) {
                int at = rowStarts[r];
                int from = r * rowLen;
                if (rowStride == 1) {
                    k.axpy(1f, g, from, dst, at, rowLen);
                } else {
                    for (int j = 0; j < rowLen; j++) {
                        dst[at + j * rowStride] += g[from + j];
                    }
                }
            }
        }
    }
}
