package dev.recur.core.kernel.gemm;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.VectorRegisters;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked core of {@link GemmVector}: an {@code MR x NR} tile of C held in accumulators while
 * {@code kc} rank-1 updates stream through them, its shape chosen for the registers the JIT may use
 * ({@link VectorRegisters}): {@link GemmTile6x4} (6 rows by 4 vectors, 64 floats wide with AVX-512) with 32
 * registers, {@link GemmTile4x4} with 32 at 128 bits, {@link GemmTile6x2} (6 rows by 2 vectors) with 16. Each C element is one {@code fma} chain in order of
 * {@code k}, the same operation sequence as {@link GemmReference} within one k block, whichever the tile.
 */
final class GemmMicroKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lanes per vector. */
    static final int L = S.length();
    /** The system property that picks a tile by name ({@code 4x4}, {@code 6x2}, {@code 6x4}), for experiments. */
    static final String PROPERTY = "recur.gemm.tile";
    private static final String TILE = tile();
    /** Whether the tile is one of the 32-register ones (4 x 4 or 6 x 4); else the 6 x 2 tile. */
    static final boolean WIDE = !TILE.equals("6x2");
    /** Whether the tile is 6 x 4. */
    static final boolean SIX_BY_FOUR = TILE.equals("6x4");
    /** Rows of C per tile. */
    static final int MR = SIX_BY_FOUR ? GemmTile6x4.MR : WIDE ? GemmTile4x4.MR : GemmTile6x2.MR;
    /** Columns of C per tile. */
    static final int NR = SIX_BY_FOUR ? GemmTile6x4.NR : WIDE ? GemmTile4x4.NR : GemmTile6x2.NR;

    private GemmMicroKernel() {}

    /**
     * The tile for this JVM: with 16 registers 6 x 2; with 32, 6 x 4 when vectors hold 8 or more floats (on the
     * AVX-512 machine kind, 1024^3 on two threads: 344-359 GFLOP/s against 293-295 for 4 x 4, every shape of the
     * suite faster) and 4 x 4 at 128 bits (a tie there). {@code -Drecur.gemm.tile} overrides.
     */
    private static String tile() {
        String forced = System.getProperty(PROPERTY);
        if (forced != null) {
            if (!forced.equals("4x4") && !forced.equals("6x2") && !forced.equals("6x4")) {
                throw new RecurException("-D" + PROPERTY + ": expected 4x4, 6x2 or 6x4, got '" + forced + "'");
            }
            return forced;
        }
        if (VectorRegisters.count() < 32) {
            return "6x2";
        }
        return L >= 8 ? "6x4" : "4x4";
    }

    /**
     * {@code C[0:mr, 0:nr] = (overwrite ? 0 : C) + Ap * Bp}, where {@code Ap} is {@link #MR} rows of {@code kc}
     * values read in place from {@code a}: row {@code r}'s value {@code p} at {@code aIdx + r * rowStep + p * aStep}
     * (rows past {@code mr} repeat the last, and their results are not stored), and {@code Bp} is {@code kc} rows
     * of {@link #NR} floats, {@code bStride} apart (zero-padded past {@code nr} when packed; a direct row of B when
     * {@code nr == NR}). {@code tile} ({@code MR * NR} floats) stages the accumulators.
     */
    static void multiply(int kc, float[] a, int aIdx, int rowStep, int aStep,
                         float[] b, int bIdx, int bStride,
                         float[] c, int cIdx, int ldc, int mr, int nr, boolean overwrite, float[] tile) {
        int last = mr - 1;
        // The accumulators go to the tile, and a separate method adds the tile into C: the vector code of the
        // tile stays small enough that C2 inlines and intrinsifies every fma. (A version that also held the
        // C update there sometimes compiled with its fma calls left out of line, each one allocating: 2-5x slower
        // for the whole process.)
        if (SIX_BY_FOUR) {
            GemmTile6x4.accumulate(kc, a, aIdx, Math.min(1, last) * rowStep, Math.min(2, last) * rowStep,
                    Math.min(3, last) * rowStep, Math.min(4, last) * rowStep, Math.min(5, last) * rowStep, aStep,
                    b, bIdx, bStride, tile);
        } else if (WIDE) {
            GemmTile4x4.accumulate(kc, a, aIdx, Math.min(1, last) * rowStep, Math.min(2, last) * rowStep,
                    Math.min(3, last) * rowStep, aStep, b, bIdx, bStride, tile);
        } else {
            GemmTile6x2.accumulate(kc, a, aIdx, Math.min(1, last) * rowStep, Math.min(2, last) * rowStep,
                    Math.min(3, last) * rowStep, Math.min(4, last) * rowStep, Math.min(5, last) * rowStep, aStep,
                    b, bIdx, bStride, tile);
        }
        writeBack(tile, c, cIdx, ldc, mr, nr, overwrite);
    }

    /** {@code C[0:mr, 0:nr] = (overwrite ? 0 : C) + tile}, a whole tile with vectors, an edge tile element-wise. */
    private static void writeBack(float[] tile, float[] c, int cIdx, int ldc, int mr, int nr, boolean overwrite) {
        if (mr == MR && nr == NR) {
            for (int r = 0; r < MR; r++) {
                int row = cIdx + r * ldc;
                for (int v = 0; v < NR; v += L) {
                    FloatVector t = FloatVector.fromArray(S, tile, r * NR + v);
                    (overwrite ? t : t.add(FloatVector.fromArray(S, c, row + v))).intoArray(c, row + v);
                }
            }
            return;
        }
        for (int r = 0; r < mr; r++) {
            int row = cIdx + r * ldc;
            int t = r * NR;
            for (int j = 0; j < nr; j++) {
                c[row + j] = overwrite ? tile[t + j] : c[row + j] + tile[t + j];
            }
        }
    }
}
