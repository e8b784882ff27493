package dev.recur.cli.bench;

import dev.recur.core.kernel.KernelMode;
import dev.recur.core.parallel.ComputePool;
import dev.recur.core.scan.diagonal.DiagonalScan;
import dev.recur.core.scan.diagonal.DiagonalScanKernel;
import java.util.SplittableRandom;

/**
 * {@code recur bench scan}: the diagonal scan {@code h_t = a_t h_{t-1} + b_t} at {@code T = 4096, D = 1024}
 * (one sequence), forward and backward, in GB/s and ns per element, read against a STREAM-style
 * {@link Triad} over arrays of the same size measured in the same run on the same number of threads. Bytes
 * counted: forward reads {@code a, b} and writes {@code h} (12 per element); backward reads {@code a, h, gh}
 * and writes {@code da, db} (20 per element). Each figure runs with the shared compute pool sized to its
 * thread count. {@link ModelScans} adds Mamba's selective scan and Mamba-2's SSD at their model sizes.
 */
public final class ScanSuite implements BenchSuite {
    static final int T = 4096;
    static final int D = 1024;
    private static final long MS = 1_000_000L;

    @Override
    public String name() {
        return "scan";
    }

    @Override
    public String description() {
        return "diagonal scan 4096x1024 forward/backward, selective scan and SSD forward, GB/s against a triad"
                + " measured in the same run";
    }

    @Override
    public void run(BenchSink sink, int repeats) {
        int n = T * D;
        SplittableRandom rng = new SplittableRandom(11);
        float[] a = new float[n];
        float[] b = new float[n];
        float[] gh = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (0.9 + 0.1 * rng.nextDouble());
            b[i] = (float) (2 * rng.nextDouble() - 1);
            gh[i] = (float) (2 * rng.nextDouble() - 1);
        }
        float[] h = new float[n];
        float[] hT = new float[D];
        float[] da = new float[n];
        float[] db = new float[n];
        DiagonalScanKernel kernel = DiagonalScan.kernel(KernelMode.current());
        String kernelName = kernel.getClass().getSimpleName().replace("DiagonalScan", "").toLowerCase();
        sink.note("scan: h = a*h + b, T=" + T + " D=" + D + " B=1, kernel " + kernel.getClass().getSimpleName()
                + "; bytes: forward 12/elem, backward 20/elem, triad 12/elem");
        Triad triad = new Triad(n);
        String shape = T + "x" + D;
        for (int threads : BenchThreads.counts()) {
            double bandwidth;
            try (ComputePool pool = new ComputePool(threads)) {
                Timing.Result tr = triad.measure(pool, repeats);
                bandwidth = triad.gbPerSecond(tr);
                sink.add(new BenchResult("triad." + shape, shape, "java-loop", threads, "GB/s", bandwidth,
                        tr.nanosPerCall() / 1e6, tr.repeats()));
            }
            Timing.Result fwd = BenchThreads.with(threads,
                    () -> time(() -> kernel.forward(a, b, null, h, hT, 1, T, D), repeats));
            sink.add(row("scan." + shape, shape, kernelName, threads, fwd, n, 12, bandwidth));
            Timing.Result bwd = BenchThreads.with(threads,
                    () -> time(() -> kernel.backward(a, h, null, gh, null, da, db, null, 1, T, D), repeats));
            sink.add(row("scan." + shape + ".backward", shape, kernelName, threads, bwd, n, 20, bandwidth));
            for (BenchResult r : ModelScans.rows(threads, bandwidth, repeats)) {
                sink.add(r);
            }
        }
    }

    static Timing.Result time(Runnable op, int repeats) {
        return Timing.median(op, 500 * MS, 50 * MS, repeats, 3000 * MS);
    }

    static BenchResult row(String name, String shape, String kernel, int threads, Timing.Result t,
                                   int elements, int bytesPerElement, double triadGbs) {
        double gbs = (double) bytesPerElement * elements / t.nanosPerCall();
        return new BenchResult(name, shape, kernel, threads, "GB/s", gbs, t.nanosPerCall() / 1e6, t.repeats())
                .withDetail(String.format("%.3f ns/elem", t.nanosPerCall() / elements))
                .againstBound("triad", triadGbs);
    }
}
