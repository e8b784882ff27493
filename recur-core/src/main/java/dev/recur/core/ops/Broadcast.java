package dev.recur.core.ops;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.elementwise.BinaryOp;
import dev.recur.core.kernel.elementwise.ElementwiseKernel;
import dev.recur.core.tensor.Shapes;
import java.util.Arrays;

/**
 * Numpy-style broadcasting of two operands to a common output shape, lowered to rows for the elementwise
 * kernels. Output axes of size 1 are dropped and neighbouring axes along which each operand is either full or
 * broadcast in the same way are merged, so a bias {@code [D]} added to {@code [B, T, D]} becomes {@code B*T}
 * rows of {@code D} against one row, and {@code [N, 1] * [1, M]} becomes {@code N} rows of a scalar times a row.
 */
final class Broadcast {
    /** Length of each output row (the last merged axis). */
    final int rowLen;
    /** Number of output rows. */
    final int rows;
    /** Per operand: true when it has a full row, false when one of its elements is repeated along the row. */
    final boolean aRowFull;
    final boolean bRowFull;
    /** Per operand and row: the operand's offset of the row's first element. */
    final int[] aOffsets;
    final int[] bOffsets;

    private Broadcast(int[] out, int[] a, int[] b) {
        int r = out.length;
        int[] pa = pad(a, r);
        int[] pb = pad(b, r);
        // Merged axes: size, and whether each operand is full along it.
        int[] size = new int[r];
        boolean[] fullA = new boolean[r];
        boolean[] fullB = new boolean[r];
        int m = 0;
        for (int d = 0; d < r; d++) {
            if (out[d] == 1) {
                continue;
            }
            boolean fa = pa[d] != 1;
            boolean fb = pb[d] != 1;
            if (m > 0 && fullA[m - 1] == fa && fullB[m - 1] == fb) {
                size[m - 1] *= out[d];
            } else {
                size[m] = out[d];
                fullA[m] = fa;
                fullB[m] = fb;
                m++;
            }
        }
        if (m == 0) {
            rowLen = 1;
            rows = 1;
            aRowFull = true;
            bRowFull = true;
            aOffsets = new int[1];
            bOffsets = new int[1];
            return;
        }
        rowLen = size[m - 1];
        aRowFull = fullA[m - 1];
        bRowFull = fullB[m - 1];
        int outer = m - 1;
        int[] strideA = mergedStrides(size, fullA, m);
        int[] strideB = mergedStrides(size, fullB, m);
        rows = Shapes.product(size, 0, outer);
        aOffsets = new int[rows];
        bOffsets = new int[rows];
        int[] idx = new int[outer];
        int offA = 0;
        int offB = 0;
        for (int row = 0; row < rows; row++) {
            aOffsets[row] = offA;
            bOffsets[row] = offB;
            for (int d = outer - 1; d >= 0; d--) {
                idx[d]++;
                offA += strideA[d];
                offB += strideB[d];
                if (idx[d] < size[d]) {
                    break;
                }
                offA -= strideA[d] * size[d];
                offB -= strideB[d] * size[d];
                idx[d] = 0;
            }
        }
    }

    /** The plan for operands of shapes {@code a} and {@code b} broadcast to {@code out}. */
    static Broadcast plan(int[] out, int[] a, int[] b) {
        return new Broadcast(out, a, b);
    }

    /** The broadcast shape of {@code a} and {@code b}, or an error naming the op and both shapes. */
    static int[] shape(String op, int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        int[] pa = pad(a, r);
        int[] pb = pad(b, r);
        for (int d = 0; d < r; d++) {
            if (pa[d] == pb[d] || pb[d] == 1) {
                out[d] = pa[d];
            } else if (pa[d] == 1) {
                out[d] = pb[d];
            } else {
                throw new RecurException(op + ": shapes " + Shapes.format(a) + " and " + Shapes.format(b)
                        + " do not broadcast (axis " + (d - r) + ": " + pa[d] + " vs " + pb[d] + ")");
            }
        }
        return out;
    }

    /** {@code y = a op b} over the output, {@code y} laid out in the output shape. */
    void apply(ElementwiseKernel k, BinaryOp op, float[] a, float[] b, float[] y) {
        // y: [rows, rowLen]; each operand supplies a row or a single element per output row
        for (int row = 0; row < rows; row++) {
            int yOff = row * rowLen;
            int aOff = aOffsets[row];
            int bOff = bOffsets[row];
            if (aRowFull && bRowFull) {
                k.binary(op, a, aOff, b, bOff, y, yOff, rowLen);
            } else if (aRowFull) {
                k.binaryScalar(op, a, aOff, b[bOff], y, yOff, rowLen);
            } else {
                k.scalarBinary(op, a[aOff], b, bOff, y, yOff, rowLen);
            }
        }
    }

    /**
     * Adds {@code alpha * g}, summed over the axes that operand {@code a} (when {@code first}) or {@code b}
     * was broadcast along, into that operand's gradient {@code target}.
     */
    void reduceInto(ElementwiseKernel k, float alpha, float[] g, boolean first, float[] target) {
        boolean full = first ? aRowFull : bRowFull;
        int[] offsets = first ? aOffsets : bOffsets;
        for (int row = 0; row < rows; row++) {
            int gOff = row * rowLen;
            int off = offsets[row];
            if (full) {
                k.axpy(alpha, g, gOff, target, off, rowLen);
            } else {
                target[off] = Math.fma(alpha, k.sum(g, gOff, rowLen), target[off]);
            }
        }
    }

    private static int[] mergedStrides(int[] size, boolean[] full, int m) {
        int[] stride = new int[m];
        int acc = 1;
        for (int d = m - 1; d >= 0; d--) {
            stride[d] = full[d] ? acc : 0;
            acc *= full[d] ? size[d] : 1;
        }
        return stride;
    }

    private static int[] pad(int[] shape, int rank) {
        int[] p = new int[rank];
        Arrays.fill(p, 1);
        System.arraycopy(shape, 0, p, rank - shape.length, shape.length);
        return p;
    }
}
