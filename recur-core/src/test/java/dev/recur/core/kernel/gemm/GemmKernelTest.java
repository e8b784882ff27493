package dev.recur.core.kernel.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.KernelMode;
import dev.recur.core.parallel.ComputePool;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GemmVector} against {@link GemmReference} on awkward sizes, every transpose combination, offsets,
 * padded leading dimensions and both accumulate modes.
 *
 * <p>Tolerance: both kernels sum in float32, the vector one in a different order once {@code k} spans more
 * than one k block. The classical bound for any summation order (Higham, Accuracy and Stability, 3.1) is
 * {@code |fl(c) - c| <= k u (|A||B|)_ij} with {@code u = 2^-24}, so two orders differ by at most twice that,
 * plus an ulp or two of C when accumulating. A wrong index or a lost term errs by about one whole term,
 * {@code (|A||B|)_ij / k}, far above the bound for these sizes. Where {@code k} fits in one block the two
 * kernels perform the same fma chain, and the test demands identical bits.
 */
class GemmKernelTest {
    private static final double U = Math.ulp(1f) / 2;
    private static ComputePool pool;
    private static ComputePool single;

    @BeforeAll
    static void startPools() {
        pool = new ComputePool(2);
        single = new ComputePool(1);
    }

    @AfterAll
    static void stopPools() {
        pool.close();
        single.close();
    }

    static Stream<Arguments> shapes() {
        int[][] mnk = {
            {1, 1, 1}, {1, 7, 63}, {7, 1, 257}, {63, 257, 7}, {257, 63, 1}, {500, 7, 63}, {7, 500, 257},
            {63, 63, 500}, {257, 129, 257}, {500, 130, 63}, {1, 500, 500}, {500, 1, 500}, {257, 500, 7},
            {64, 200, 300}, {65, 130, 600}, {16, 320, 256}, {33, 200, 513}, {130, 70, 40},
            // few rows (decoding): B read in place, columns split into tasks, depth past one k block
            {1, 700, 600}, {2, 64, 1000}, {3, 333, 300}, {4, 1030, 257}, {4, 96, 256}, {1, 3000, 768},
            // up to 64 rows against a transposed B past one k block: dot products of rows, blocks of 4 x 4
            {5, 7, 300}, {16, 256, 1024}, {63, 130, 513}, {64, 9, 777}, {17, 1, 260}, {65, 33, 300},
        };
        return Stream.of(mnk).map(s -> Arguments.of(s[0], s[1], s[2]));
    }

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @MethodSource("shapes")
    void vectorMatchesReferenceForEveryLayout(int m, int n, int k) {
        // One thread walks all rows of C in one task; two split C into more, smaller tasks.
        GemmKernel[] vectors = {new GemmVector(single), new GemmVector(pool)};
        GemmKernel reference = new GemmReference();
        SplittableRandom rng = new SplittableRandom(31L * m + 7L * n + k);
        for (int variant = 0; variant < 8; variant++) {
            boolean transA = (variant & 1) != 0;
            boolean transB = (variant & 2) != 0;
            boolean accumulate = (variant & 4) != 0;
            // Odd variants pad every row and start past the array's beginning; even ones are compact.
            int pad = (variant % 2 == 1 || variant == 6) ? 5 : 0;
            int aRows = transA ? k : m;
            int aCols = transA ? m : k;
            int bRows = transB ? n : k;
            int bCols = transB ? k : n;
            int lda = aCols + pad;
            int ldb = bCols + pad;
            int ldc = n + pad;
            int aOff = pad * 3;
            int bOff = pad * 2;
            int cOff = pad;
            float[] a = random(rng, aOff + aRows * lda);
            float[] b = random(rng, bOff + bRows * ldb);
            float[] c0 = random(rng, cOff + m * ldc);
            float[] cv = c0.clone();
            float[] cr = c0.clone();
            int threadsIndex = Integer.bitCount(variant) & 1;
            GemmKernel vector = vectors[threadsIndex];
            vector.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, cv, cOff, ldc, accumulate);
            reference.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, cr, cOff, ldc, accumulate);
            String where = "m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB
                    + " accumulate=" + accumulate + " pad=" + pad + " threads="
                    + (1 + threadsIndex);
            for (int x = 0; x < c0.length; x++) {
                int rel = x - cOff;
                boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
                if (!inside && Float.floatToRawIntBits(cv[x]) != Float.floatToRawIntBits(c0[x])) {
                    fail(where + ": wrote outside C at index " + x);
                }
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int ci = cOff + i * ldc + j;
                    double absSum = 0;
                    for (int p = 0; p < k; p++) {
                        float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                        absSum += Math.abs((double) av * bv);
                    }
                    double bound = (2.0 * k + 4) * U * (absSum + (accumulate ? Math.abs(c0[ci]) : 0));
                    if (k <= GemmVector.KC) {
                        if (Float.floatToRawIntBits(cv[ci]) != Float.floatToRawIntBits(cr[ci])) {
                            fail(where + ": C[" + i + "," + j + "] = " + cv[ci] + ", reference " + cr[ci]
                                    + " (one k block: the fma chains must agree bit for bit)");
                        }
                    } else if (!(Math.abs(cv[ci] - cr[ci]) <= bound)) {
                        fail(where + ": C[" + i + "," + j + "] = " + cv[ci] + ", reference " + cr[ci]
                                + ", bound " + bound);
                    }
                }
            }
        }
    }

    /**
     * With B not transposed, a few-row product is one fma chain per element in order of k at any depth, so it
     * equals the reference bit for bit even across k blocks (the blocked path's order differs there).
     */
    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @MethodSource("fewRows")
    void fewRowsWithUntransposedBMatchReferenceBitForBitAtAnyDepth(int m, int n, int k) {
        SplittableRandom rng = new SplittableRandom(17L * m + n + 3L * k);
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean accumulate : new boolean[] {false, true}) {
                float[] a = random(rng, m * k);
                float[] b = random(rng, k * n);
                float[] c0 = random(rng, m * n);
                float[] cr = c0.clone();
                new GemmReference().sgemm(transA, false, m, n, k, a, 0, transA ? m : k, b, 0, n, cr, 0, n,
                        accumulate);
                for (GemmKernel vector : new GemmKernel[] {new GemmVector(single), new GemmVector(pool)}) {
                    float[] cv = c0.clone();
                    vector.sgemm(transA, false, m, n, k, a, 0, transA ? m : k, b, 0, n, cv, 0, n, accumulate);
                    assertThat(cv).as("m=%d n=%d k=%d transA=%s accumulate=%s", m, n, k, transA, accumulate)
                            .containsExactly(cr);
                }
            }
        }
    }

    static Stream<Arguments> fewRows() {
        int[][] mnk = {{1, 3072, 768}, {2, 100, 1100}, {3, 513, 260}, {4, 47, 2000}, {4, 1024, 300}};
        return Stream.of(mnk).map(s -> Arguments.of(s[0], s[1], s[2]));
    }

    @Test
    void zeroDepthClearsOrKeepsC() {
        GemmKernel vector = new GemmVector(pool);
        float[] c = {1, 2, 3, 4, 5, 6};
        vector.sgemm(false, false, 2, 3, 0, new float[0], 0, 1, new float[0], 0, 3, c, 0, 3, true);
        assertThat(c).containsExactly(1, 2, 3, 4, 5, 6);
        vector.sgemm(false, false, 2, 3, 0, new float[0], 0, 1, new float[0], 0, 3, c, 0, 3, false);
        assertThat(c).containsOnly(0f);
    }

    @Test
    void outOfBoundsOperandsAreRejectedBeforeAnyWrite() {
        GemmKernel vector = new GemmVector(pool);
        float[] c = new float[4 * 4];
        assertThatThrownBy(() -> vector.sgemm(false, false, 4, 4, 4, new float[15], 0, 4, new float[16], 0, 4,
                c, 0, 4, false))
                .isInstanceOf(RecurException.class)
                .hasMessageContaining("sgemm")
                .hasMessageContaining("A")
                .hasMessageContaining("needs 16");
        assertThatThrownBy(() -> vector.sgemm(false, true, 4, 4, 4, new float[16], 0, 4, new float[16], 0, 3,
                c, 0, 4, false))
                .isInstanceOf(RecurException.class)
                .hasMessageContaining("B has row stride 3");
        assertThatThrownBy(() -> vector.sgemm(false, false, -1, 4, 4, new float[16], 0, 4, new float[16], 0, 4,
                c, 0, 4, false))
                .isInstanceOf(RecurException.class)
                .hasMessageContaining("negative size");
    }

    @Test
    void vectorModeSelectsTheVectorKernel() {
        assertThat(Gemm.kernel(KernelMode.VECTOR)).isInstanceOf(GemmVector.class);
        assertThat(Gemm.kernel(KernelMode.REFERENCE)).isInstanceOf(GemmReference.class);
    }

    static float[] random(SplittableRandom rng, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return x;
    }
}
