package dev.recur.core.kernel.gemm;

import static dev.recur.core.kernel.gemm.GemmMicroKernel.NR;

import dev.recur.core.RecurException;

/**
 * A right-hand operand {@code op(B) [k, n]} packed once into the micro-kernel's panel layout, for a caller that
 * multiplies by the same B many times (a recurrent layer's {@code W_hh^T} at every timestep): packing a
 * transposed B costs more than a few-row product, so doing it once per sequence instead of once per step
 * removes most of the cost. Build it with {@link Gemm#packB}; multiply with {@link Gemm#sgemm(boolean, int,
 * float[], int, int, GemmPackedB, float[], int, int, boolean)}, which gives the same bits as the unpacked call.
 *
 * <p>The pack keeps a reference to B as well: B must not change while the pack is in use.
 *
 * <p>Layout: k block {@code kb} (depth {@code kc = min(KC, k - kb * KC)}) starts at {@code kb * KC * nPadded};
 * within it, panel {@code q} (columns {@code q * NR ..}) is {@code kc} rows of {@code NR} floats at
 * {@code q * NR * kc}, zero-padded past {@code n}.
 */
public final class GemmPackedB {
    final boolean transB;
    final int k;
    final int n;
    final float[] b;
    final int bOff;
    final int ldb;
    /** The panels; null when the reference kernel is selected (it reads B directly). */
    final float[] packed;
    final int nPadded;

    private GemmPackedB(boolean transB, int k, int n, float[] b, int bOff, int ldb, float[] packed, int nPadded) {
        this.transB = transB;
        this.k = k;
        this.n = n;
        this.b = b;
        this.bOff = bOff;
        this.ldb = ldb;
        this.packed = packed;
        this.nPadded = nPadded;
    }

    /** Packs {@code op(B)}; {@code withPanels} false keeps only the reference (for the reference kernel). */
    static GemmPackedB of(boolean transB, int k, int n, float[] b, int bOff, int ldb, boolean withPanels) {
        if (k < 0 || n < 0) {
            throw new RecurException("sgemm: packB got a negative size k=" + k + " n=" + n);
        }
        Gemm.checkBounds(false, transB, 0, n, k, new float[0], 0, 0, b, bOff, ldb, new float[0], 0, n);
        int nPadded = GemmVector.roundUp(n, NR);
        if (!withPanels) {
            return new GemmPackedB(transB, k, n, b, bOff, ldb, null, nPadded);
        }
        long size = (long) nPadded * k;
        if (size > Integer.MAX_VALUE - 8) {
            throw new RecurException("sgemm: packB of [" + k + "x" + n + "] needs " + size
                    + " floats, more than an array holds");
        }
        float[] packed = new float[(int) size];
        for (int p0 = 0; p0 < k; p0 += GemmVector.KC) {
            int kc = Math.min(GemmVector.KC, k - p0);
            GemmPack.packB(transB, b, bOff, ldb, p0, kc, 0, n, packed, p0 * nPadded);
        }
        return new GemmPackedB(transB, k, n, b, bOff, ldb, packed, nPadded);
    }

    /** Rows of {@code op(B)}, the product's depth. */
    public int k() {
        return k;
    }

    /** Columns of {@code op(B)} and of C. */
    public int n() {
        return n;
    }

    /** Whether B is stored transposed, {@code [n, k]}. */
    public boolean transB() {
        return transB;
    }
}
