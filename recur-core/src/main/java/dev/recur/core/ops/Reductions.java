package dev.recur.core.ops;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.elementwise.BinaryOp;
import dev.recur.core.kernel.elementwise.Elementwise;
import dev.recur.core.kernel.elementwise.ElementwiseKernel;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.util.Arrays;

/**
 * Sums, means and maxima over one axis, several axes, or the whole tensor. With {@code keepDim} the reduced
 * axes stay as size 1 (so the result broadcasts against the input), otherwise they are removed. Reduced axes
 * that are adjacent run as {@code [outer, reduced, inner]} rows through the SIMD kernels; other sets of axes
 * go through an index map.
 */
public final class Reductions {
    private Reductions() {}

    /** The sum of all elements, as a scalar (shape {@code []}). */
    public static Tensor sum(Tensor x) {
        return sum(x, allAxes(x), false);
    }

    public static Tensor sum(Tensor x, int axis, boolean keepDim) {
        return sum(x, new int[] {axis}, keepDim);
    }

    /** The sum over {@code axes} (an empty array reduces nothing); derivative: {@code g} broadcast back over them. */
    public static Tensor sum(Tensor x, int[] axes, boolean keepDim) {
        return reduceSum("sum", x, axes, keepDim, false);
    }

    /** The mean of all elements, as a scalar. */
    public static Tensor mean(Tensor x) {
        return mean(x, allAxes(x), false);
    }

    public static Tensor mean(Tensor x, int axis, boolean keepDim) {
        return mean(x, new int[] {axis}, keepDim);
    }

    /** The sum over {@code axes} divided by their element count (NaN over an empty axis, as PyTorch). */
    public static Tensor mean(Tensor x, int[] axes, boolean keepDim) {
        return reduceSum("mean", x, axes, keepDim, true);
    }

    /** The largest element, as a scalar. */
    public static Tensor max(Tensor x) {
        return max(x, allAxes(x), false);
    }

    public static Tensor max(Tensor x, int axis, boolean keepDim) {
        return max(x, new int[] {axis}, keepDim);
    }

    /**
     * The maximum over {@code axes}. NaN wins over any number. The gradient goes entirely to the first maximal
     * element in row-major order: ties are not shared (PyTorch's {@code amax} would split it evenly).
     */
    public static Tensor max(Tensor x, int[] axes, boolean keepDim) {
        Plan p = new Plan("max", x.shape(), axes, keepDim);
        int outN = Shapes.numel(p.outShape);
        if (p.reducedCount == 0 && outN > 0) {
            throw new RecurException("max: cannot reduce over an empty axis, got shape " + Shapes.format(x.shape())
                    + " and axes " + Arrays.toString(axes));
        }
        float[] xd = x.data();
        float[] y = new float[outN];
        int[] arg = new int[outN];
        Arrays.fill(arg, -1);
        int[] map = p.outIndex();
        for (int i = 0; i < xd.length; i++) {
            int o = map[i];
            float v = xd[i];
            float best = y[o];
            if (arg[o] < 0 || v > best || (Float.isNaN(v) && !Float.isNaN(best))) {
                y[o] = v;
                arg[o] = i;
            }
        }
        return Tensor.result("max", y, p.outShape, g -> {
            float[] gx = x.gradBuffer();
            if (gx != null) {
                for (int o = 0; o < g.length; o++) {
                    gx[arg[o]] += g[o];
                }
            }
        }, x);
    }

    private static Tensor reduceSum(String op, Tensor x, int[] axes, boolean keepDim, boolean mean) {
        ElementwiseKernel k = Elementwise.kernel();
        Plan p = new Plan(op, x.shape(), axes, keepDim);
        float[] xd = x.data();
        int outN = Shapes.numel(p.outShape);
        float[] y = new float[outN];
        if (p.contiguous) {
            // x: [outer, red, inner] -> y: [outer, inner]
            int outer = p.outer;
            int red = p.reducedCount;
            int inner = p.inner;
            for (int o = 0; o < outer; o++) {
                if (inner == 1) {
                    y[o] = k.sum(xd, o * red, red);
                } else {
                    for (int r = 0; r < red; r++) {
                        k.axpy(1f, xd, (o * red + r) * inner, y, o * inner, inner);
                    }
                }
            }
        } else {
            int[] map = p.outIndex();
            for (int i = 0; i < xd.length; i++) {
                y[map[i]] += xd[i];
            }
        }
        float count = p.reducedCount;
        if (mean) {
            k.binaryScalar(BinaryOp.DIV, y, 0, count, y, 0, outN);
        }
        return Tensor.result(op, y, p.outShape, g -> {
            float[] gx = x.gradBuffer();
            if (gx == null) {
                return;
            }
            float[] gs = g;
            if (mean) {
                gs = new float[g.length];
                k.binaryScalar(BinaryOp.DIV, g, 0, count, gs, 0, g.length);
            }
            if (p.contiguous) {
                // g: [outer, inner] -> gx: [outer, red, inner]
                int red = p.reducedCount;
                int inner = p.inner;
                for (int o = 0; o < p.outer; o++) {
                    for (int r = 0; r < red; r++) {
                        int off = (o * red + r) * inner;
                        if (inner == 1) {
                            gx[off] += gs[o];
                        } else {
                            k.axpy(1f, gs, o * inner, gx, off, inner);
                        }
                    }
                }
            } else {
                int[] map = p.outIndex();
                for (int i = 0; i < gx.length; i++) {
                    gx[i] += gs[map[i]];
                }
            }
        }, x);
    }

    private static int[] allAxes(Tensor x) {
        int[] a = new int[x.rank()];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        return a;
    }

    /** Which axes are reduced, the output shape, and the {@code [outer, reduced, inner]} split when adjacent. */
    private static final class Plan {
        final int[] shape;
        final boolean[] reduced;
        final int[] outShape;
        final int reducedCount;
        final boolean contiguous;
        final int outer;
        final int inner;

        Plan(String op, int[] shape, int[] axes, boolean keepDim) {
            this.shape = shape;
            int rank = shape.length;
            reduced = new boolean[rank];
            for (int a : axes) {
                int ax = Shapes.axis(op, a, rank);
                if (reduced[ax]) {
                    throw new RecurException(op + ": axis " + a + " appears twice in " + Arrays.toString(axes)
                            + " for shape " + Shapes.format(shape));
                }
                reduced[ax] = true;
            }
            int first = -1;
            int last = -1;
            int count = 1;
            int outRank = 0;
            for (int d = 0; d < rank; d++) {
                if (reduced[d]) {
                    first = first < 0 ? d : first;
                    last = d;
                    count *= shape[d];
                } else {
                    outRank++;
                }
            }
            reducedCount = count;
            outShape = new int[keepDim ? rank : outRank];
            for (int d = 0, j = 0; d < rank; d++) {
                if (keepDim) {
                    outShape[d] = reduced[d] ? 1 : shape[d];
                } else if (!reduced[d]) {
                    outShape[j++] = shape[d];
                }
            }
            boolean adjacent = true;
            for (int d = first; d >= 0 && d <= last; d++) {
                adjacent &= reduced[d];
            }
            contiguous = adjacent;
            outer = first < 0 ? Shapes.numel(shape) : Shapes.product(shape, 0, first);
            inner = first < 0 ? 1 : Shapes.product(shape, last + 1, rank);
        }

        /** For every input element in row-major order, the flat index of the output element it reduces into. */
        int[] outIndex() {
            int rank = shape.length;
            int[] outStride = new int[rank];
            int acc = 1;
            for (int d = rank - 1; d >= 0; d--) {
                outStride[d] = reduced[d] ? 0 : acc;
                acc *= reduced[d] ? 1 : shape[d];
            }
            int n = Shapes.numel(shape);
            int[] map = new int[n];
            int[] idx = new int[rank];
            int off = 0;
            for (int i = 0; i < n; i++) {
                map[i] = off;
                for (int d = rank - 1; d >= 0; d--) {
                    idx[d]++;
                    off += outStride[d];
                    if (idx[d] < shape[d]) {
                        break;
                    }
                    off -= outStride[d] * shape[d];
                    idx[d] = 0;
                }
            }
            return map;
        }
    }
}
