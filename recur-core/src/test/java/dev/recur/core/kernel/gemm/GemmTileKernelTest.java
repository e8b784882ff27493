package dev.recur.core.kernel.gemm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every micro-tile against one {@code Math.fma} chain per C element in order of {@code k} (the operation
 * sequence {@link GemmReference} performs), bit for bit, whichever tile this JVM's GEMM picked: the 6 x 4, 4 x 4 and
 * 6 x 2 tiles each, at the JVM's vector width, on awkward depths, with A read row-wise and transposed and B read
 * packed and in place (a wider stride).
 */
class GemmTileKernelTest {
    @ParameterizedTest(name = "kc={0} transposedA={1} bStrideExtra={2}")
    @CsvSource({"1, false, 0", "7, true, 0", "63, false, 5", "257, true, 3", "256, false, 0"})
    void everyTileIsTheFmaChainOfItsRowsAndColumns(int kc, boolean transposedA, int bStrideExtra) {
        check(GemmTile6x4.MR, GemmTile6x4.NR, kc, transposedA, bStrideExtra, (a, at, rows, step, b, bs, tile) ->
                GemmTile6x4.accumulate(kc, a, at, rows[1], rows[2], rows[3], rows[4], rows[5], step, b, 0, bs, tile));
        check(GemmTile4x4.MR, GemmTile4x4.NR, kc, transposedA, bStrideExtra, (a, at, rows, step, b, bs, tile) ->
                GemmTile4x4.accumulate(kc, a, at, rows[1], rows[2], rows[3], step, b, 0, bs, tile));
        check(GemmTile6x2.MR, GemmTile6x2.NR, kc, transposedA, bStrideExtra, (a, at, rows, step, b, bs, tile) ->
                GemmTile6x2.accumulate(kc, a, at, rows[1], rows[2], rows[3], rows[4], rows[5], step, b, 0, bs, tile));
    }

    /** A tile's kernel: A at {@code at} with row offsets {@code rows} and step {@code step}, B with stride. */
    private interface Tile {
        void run(float[] a, int at, int[] rows, int step, float[] b, int bStride, float[] tile);
    }

    private static void check(int mr, int nr, int kc, boolean transposedA, int bStrideExtra, Tile kernel) {
        SplittableRandom rng = new SplittableRandom(kc * 131L + mr * 7L + nr);
        int lda = kc + 3;
        int at = 2;
        float[] a = random(rng, at + mr * lda + kc * (mr + 3));
        // Row r's value p: row-wise at at + r * lda + p; transposed at at + r + p * (mr + 3).
        int rowStep = transposedA ? 1 : lda;
        int step = transposedA ? mr + 3 : 1;
        int[] rows = new int[6];
        for (int r = 0; r < 6; r++) {
            rows[r] = Math.min(r, mr - 1) * rowStep;
        }
        int bStride = nr + bStrideExtra;
        float[] b = random(rng, kc * bStride);
        float[] tile = new float[mr * nr];
        kernel.run(a, at, rows, step, b, bStride, tile);
        for (int r = 0; r < mr; r++) {
            for (int j = 0; j < nr; j++) {
                float sum = 0f;
                for (int p = 0; p < kc; p++) {
                    sum = Math.fma(a[at + rows[r] + p * step], b[p * bStride + j], sum);
                }
                assertThat(tile[r * nr + j]).as("%d x %d tile, row %d, column %d", mr, nr / GemmMicroKernel.L, r, j)
                        .isEqualTo(sum);
            }
        }
    }

    private static float[] random(SplittableRandom rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return x;
    }
}
