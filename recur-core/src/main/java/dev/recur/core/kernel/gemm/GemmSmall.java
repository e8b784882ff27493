package dev.recur.core.kernel.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The path of {@link GemmVector} for products too small to repay packing: one row of C at a time, vectors
 * along {@code n}, B read in place (a transposed B is first copied into a row-major scratch). Every element is
 * one {@code fma} chain in order of {@code k}, exactly as {@link GemmReference} computes it.
 */
final class GemmSmall {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private GemmSmall() {}

    /**
     * {@code C = (accumulate ? C : 0) + op(A) op(B)}; {@code scratch} must hold {@code k * n} floats when
     * {@code transB}.
     */
    static void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float[] c, int cOff, int ldc, boolean accumulate, float[] scratch) {
        if (transB) {
            // op(B) [k, n] from B stored [n, k]
            for (int j = 0; j < n; j++) {
                int src = bOff + j * ldb;
                for (int p = 0; p < k; p++) {
                    scratch[p * n + j] = b[src + p];
                }
            }
            b = scratch;
            bOff = 0;
            ldb = n;
        }
        // A element (i, p) sits at aOff + i * aRow + p * aCol.
        int aRow = transA ? 1 : lda;
        int aCol = transA ? lda : 1;
        for (int i = 0; i < m; i++) {
            int aBase = aOff + i * aRow;
            int cRow = cOff + i * ldc;
            int j = 0;
            for (; j + 2 * L <= n; j += 2 * L) {
                FloatVector s0 = FloatVector.zero(S);
                FloatVector s1 = FloatVector.zero(S);
                int bi = bOff + j;
                for (int p = 0; p < k; p++, bi += ldb) {
                    FloatVector av = FloatVector.broadcast(S, a[aBase + p * aCol]);
                    s0 = av.fma(FloatVector.fromArray(S, b, bi), s0);
                    s1 = av.fma(FloatVector.fromArray(S, b, bi + L), s1);
                }
                if (accumulate) {
                    s0 = s0.add(FloatVector.fromArray(S, c, cRow + j));
                    s1 = s1.add(FloatVector.fromArray(S, c, cRow + j + L));
                }
                s0.intoArray(c, cRow + j);
                s1.intoArray(c, cRow + j + L);
            }
            for (; j + L <= n; j += L) {
                FloatVector s0 = FloatVector.zero(S);
                int bi = bOff + j;
                for (int p = 0; p < k; p++, bi += ldb) {
                    s0 = FloatVector.broadcast(S, a[aBase + p * aCol]).fma(FloatVector.fromArray(S, b, bi), s0);
                }
                if (accumulate) {
                    s0 = s0.add(FloatVector.fromArray(S, c, cRow + j));
                }
                s0.intoArray(c, cRow + j);
            }
            for (; j < n; j++) {
                float sum = 0f;
                int bi = bOff + j;
                for (int p = 0; p < k; p++, bi += ldb) {
                    sum = Math.fma(a[aBase + p * aCol], b[bi], sum);
                }
                c[cRow + j] = accumulate ? c[cRow + j] + sum : sum;
            }
        }
    }
}
