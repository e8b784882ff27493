package dev.recur.core.kernel.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.parallel.ComputePool;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A B packed once ({@link GemmPackedB}) multiplies to exactly the bits of the unpacked call, which the kernel
 * test ties to {@link GemmReference}; and, where {@code k} fits one k block, directly to the reference's bits.
 */
class GemmPackedBKernelTest {
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

    @ParameterizedTest(name = "m={0} n={1} k={2} transB={3}")
    @CsvSource({
        "16, 1024, 256, true", "16, 1024, 256, false", "16, 768, 256, true", "5, 300, 600, true",
        "64, 200, 513, false", "130, 70, 40, true", "2, 1000, 600, true", "3, 50, 20, true", "1, 4096, 128, true",
        "17, 1, 300, true",
    })
    void packedMatchesUnpackedBitForBit(int m, int n, int k, boolean transB) {
        SplittableRandom rng = new SplittableRandom(7L * m + 11L * n + k);
        int pad = 3;
        int ldb = (transB ? k : n) + pad;
        float[] b = GemmKernelTest.random(rng, pad + (transB ? n : k) * ldb);
        GemmPackedB packed = GemmPackedB.of(transB, k, n, b, pad, ldb, true);
        assertThat(packed.k()).isEqualTo(k);
        assertThat(packed.n()).isEqualTo(n);
        for (boolean transA : new boolean[] {false, true}) {
            float[] a = GemmKernelTest.random(rng, m * k);
            float[] c0 = GemmKernelTest.random(rng, m * n);
            int lda = transA ? m : k;
            float[] cr = c0.clone();
            new GemmReference().sgemm(transA, transB, m, n, k, a, 0, lda, b, pad, ldb, cr, 0, n, true);
            for (ComputePool p : new ComputePool[] {single, pool}) {
                GemmVector vector = new GemmVector(p);
                float[] expected = c0.clone();
                vector.sgemm(transA, transB, m, n, k, a, 0, lda, b, pad, ldb, expected, 0, n, true);
                float[] got = c0.clone();
                // Twice with the same pack: the second product must not see anything left by the first.
                vector.sgemm(transA, m, a, 0, lda, packed, got, 0, n, false);
                vector.sgemm(transA, m, a, 0, lda, packed, got = c0.clone(), 0, n, true);
                assertThat(got).as("m=%d n=%d k=%d transA=%s transB=%s threads=%d", m, n, k, transA, transB,
                        p.threads()).containsExactly(expected);
                if (k <= GemmVector.KC) {
                    assertThat(got).as("one k block: the reference's fma chains").containsExactly(cr);
                }
            }
        }
    }

    @Test
    void packingATooShortBIsRejectedNamingTheOperand() {
        assertThatThrownBy(() -> Gemm.packB(true, 8, 4, new float[31], 0, 8))
                .isInstanceOf(RecurException.class)
                .hasMessageContaining("sgemm")
                .hasMessageContaining("B")
                .hasMessageContaining("needs 32");
        assertThatThrownBy(() -> Gemm.sgemm(false, 1, new float[1], 0, 1, null, new float[1], 0, 1, false))
                .isInstanceOf(RecurException.class)
                .hasMessageContaining("packed B");
    }
}
