package dev.recur.onnx.graph;

import java.util.Arrays;

/** ONNX's multidirectional (NumPy) broadcasting: shapes aligned from the right, a size of 1 stretching. */
final class Broadcast {
    private Broadcast() {}

    /** The broadcast shape of {@code a} and {@code b}, or an error naming the node. */
    static int[] shape(NodeLabel label, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw label.error("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** For each element of {@code out} (row-major), the offset of the element of {@code in} it reads. */
    static int[] sources(NodeLabel label, int[] out, int[] in) {
        int[] inStrides = Inputs.strides(in);
        int[] strides = new int[out.length];
        int shift = out.length - in.length;
        for (int i = shift; i < out.length; i++) {
            strides[i] = in[i - shift] == 1 ? 0 : inStrides[i - shift];
        }
        return ShapeOps.walk(label, out, strides, 0);
    }
}
