package dev.recur.core.kernel.gemm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.parallel.ComputePool;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The vector GEMM gives identical bits whatever the pool size: products large enough to be split into many
 * tasks, with several k blocks, packed and in-place B, run on pools of 1, 2 and 3 threads.
 */
class GemmDeterminismTest {
    @Test
    void sameBitsOnOneTwoAndThreeThreads() {
        int[][] shapes = {{150, 200, 300}, {16, 640, 300}, {64, 1100, 260}, {133, 129, 513}, {37, 201, 1030}};
        SplittableRandom rng = new SplittableRandom(2024);
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            float[] a = GemmKernelTest.random(rng, m * k);
            float[] b = GemmKernelTest.random(rng, k * n);
            float[] c0 = GemmKernelTest.random(rng, m * n);
            for (boolean transB : new boolean[] {false, true}) {
                float[] expected = null;
                for (int threads = 1; threads <= 3; threads++) {
                    float[] c = c0.clone();
                    try (ComputePool pool = new ComputePool(threads)) {
                        GemmVector kernel = new GemmVector(pool);
                        // Twice: the second call runs on workers woken from spinning, the first from start-up.
                        kernel.sgemm(false, transB, m, n, k, a, 0, k, b, 0, transB ? k : n, c, 0, n, true);
                        kernel.sgemm(false, transB, m, n, k, a, 0, k, b, 0, transB ? k : n, c, 0, n, true);
                    }
                    if (expected == null) {
                        expected = c;
                    } else {
                        assertThat(c).as("%dx%dx%d transB=%s on %d threads", m, n, k, transB, threads)
                                .containsExactly(expected);
                    }
                }
            }
        }
    }
}
