package dev.recur.cli.bench;

import dev.recur.core.random.Rng;
import dev.recur.core.scan.selective.SelectiveScan;
import dev.recur.core.scan.ssd.Ssd;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Tensor;
import java.util.List;

/**
 * The scans of the state-space layers at the sizes of the public 130M checkpoints, forward, read against the
 * same run's triad bandwidth. Bytes counted are the tensors read and written once (the floor if the state
 * stayed in registers): the selective scan reads {@code u, delta [T, D]} and {@code B, C [T, N]} and writes
 * {@code y [T, D]}; SSD reads {@code x [T, H, P]}, {@code dt [T, H]}, {@code B, C [T, G, N]} and writes
 * {@code y [T, H, P]}. Both do {@code N} state updates per channel and step, so they are bound by arithmetic
 * well before memory: the ratio shows how far from the bandwidth floor they run.
 */
final class ModelScans {
    static final int T = 1024;
    static final int D = 1536;
    static final int N = 16;
    static final int H = 24;
    static final int P = 64;
    static final int SSD_N = 128;

    private ModelScans() {}

    static List<BenchResult> rows(int threads, double triadGbs, int repeats) {
        Rng rng = new Rng(21);
        Tensor u = Tensor.randn(rng, 1f, 1, T, D);
        Tensor delta = Tensor.uniform(rng, 0.001f, 0.1f, 1, T, D);
        Tensor a = Tensor.uniform(rng, -2f, -0.1f, D, N);
        Tensor b = Tensor.randn(rng, 1f, 1, T, N);
        Tensor c = Tensor.randn(rng, 1f, 1, T, N);
        Tensor skip = Tensor.randn(rng, 1f, D);
        Timing.Result sel = BenchThreads.with(threads, () -> ScanSuite.time(() -> {
            try (GradMode.Scope ignored = GradMode.noGrad()) {
                SelectiveScan.apply(u, delta, a, b, c, skip, null);
            }
        }, repeats));
        long selBytes = 4L * (3L * T * D + 2L * T * N);

        Tensor x = Tensor.randn(rng, 1f, 1, T, H, P);
        Tensor dt = Tensor.uniform(rng, 0.001f, 0.1f, 1, T, H);
        Tensor ah = Tensor.uniform(rng, -2f, -0.1f, H);
        Tensor bs = Tensor.randn(rng, 1f, 1, T, 1, SSD_N);
        Tensor cs = Tensor.randn(rng, 1f, 1, T, 1, SSD_N);
        Tensor dh = Tensor.randn(rng, 1f, H);
        Timing.Result ssd = BenchThreads.with(threads, () -> ScanSuite.time(() -> {
            try (GradMode.Scope ignored = GradMode.noGrad()) {
                Ssd.apply(x, dt, ah, bs, cs, dh, null);
            }
        }, repeats));
        long ssdBytes = 4L * (2L * T * H * P + (long) T * H + 2L * T * SSD_N);
        return List.of(
                row("scan.selective." + T + "x" + D + "x" + N, threads, sel, selBytes, (long) T * D * N, triadGbs),
                row("scan.ssd." + T + "x" + H + "x" + P + "x" + SSD_N, threads, ssd, ssdBytes,
                        (long) T * H * P * SSD_N, triadGbs));
    }

    private static BenchResult row(String name, int threads, Timing.Result t, long bytes, long updates,
                                   double triadGbs) {
        String shape = name.substring(name.lastIndexOf('.') + 1);
        double gbs = bytes / t.nanosPerCall();
        return new BenchResult(name, shape, "vector", threads, "GB/s", gbs, t)
                .withDetail(String.format("%.3f ns per state update", t.nanosPerCall() / updates))
                .againstBound("triad", triadGbs);
    }
}
