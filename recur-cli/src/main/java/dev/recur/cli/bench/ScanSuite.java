package dev.recur.cli.bench;

import dev.recur.core.kernel.KernelMode;
import dev.recur.core.scan.diagonal.DiagonalScan;
import dev.recur.core.scan.diagonal.DiagonalScanKernel;
import java.util.SplittableRandom;

/**
 * {@code recur bench scan}: the diagonal scan {@code h_t = a_t h_{t-1} + b_t} at {@code D = 1024} channels, one
 * sequence of {@code T = 4096} and one of {@value #LONG_T} steps, and two of half that (the same bytes: with a
 * sequence per thread, no chunk waits for a carry), forward and backward, in GB/s and ns per element.
 * Each is timed in alternation ({@link Timing#paired}) with a STREAM-style {@link Triad} over arrays of its own
 * size, on the same number of threads; the triad row is the one timed beside the forward. Bytes counted: forward
 * reads {@code a, b} and writes {@code h} (12 per element); backward reads {@code a, h, gh} and writes
 * {@code da, db} (20 per element).
 *
 * <p>Two lengths because of the caches: at 4096 the forward's three arrays (48 MiB) straddle this machine's
 * 32 MiB L3: alone, a triad over 48 MiB measured 55-64 GB/s on two threads against 28-33 over 192 MiB, and
 * in benchmark runs minutes apart it swung between 36 and 93 (2026-11-26); at {@value #LONG_T} they take 192 MiB, six times the L3, so memory bounds both
 * kernels. {@link ModelScans} adds Mamba's selective scan and Mamba-2's SSD at their model sizes, read against
 * the longer triad.
 */
public final class ScanSuite implements BenchSuite {
    /** The shorter sequence: 48 MiB for the forward's three arrays, about the size of this machine's L3. */
    static final int T = 4096;
    /** The longer one: 64 MiB per array, beyond the caches. */
    static final int LONG_T = 16384;
    static final int D = 1024;
    private static final long MS = 1_000_000L;

    @Override
    public String name() {
        return "scan";
    }

    @Override
    public String description() {
        return "diagonal scan (1x4096, 1x16384 and 2x8192 steps of 1024 channels) forward/backward, selective scan"
                + " and SSD forward, GB/s against a triad timed beside each";
    }

    @Override
    public void run(BenchSink sink, int repeats) {
        int n = LONG_T * D;
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
        float[] hT = new float[2 * D]; // the final states of up to two sequences
        float[] da = new float[n];
        float[] db = new float[n];
        DiagonalScanKernel kernel = DiagonalScan.kernel(KernelMode.current());
        String kernelName = kernel.getClass().getSimpleName().replace("DiagonalScan", "").toLowerCase();
        sink.note("scan: h = a*h + b, D=" + D + ": one sequence of T=" + T + " and of " + LONG_T + ", two of "
                + LONG_T / 2 + "; kernel " + kernel.getClass().getSimpleName() + "; bytes: forward 12/elem, backward"
                + " 20/elem, triad 12/elem; each scan timed in alternation with a triad over arrays of its size");
        Triad inCache = new Triad(T * D);
        Triad beyond = new Triad(n);
        int[][] shapes = {{1, T}, {1, LONG_T}, {2, LONG_T / 2}}; // {sequences, steps}
        for (int threads : BenchThreads.counts()) {
            double beyondCaches = 0;
            for (int[] bt : shapes) {
                int batch = bt[0];
                int len = bt[1];
                int elements = batch * len * D;
                Triad triad = elements == n ? beyond : inCache;
                String shape = (batch > 1 ? batch + "x" : "") + len + "x" + D;
                Timing.Paired fwd = BenchThreads.with(threads, () -> pairedWithTriad(
                        () -> kernel.forward(a, b, null, h, hT, batch, len, D), triad.pass(), repeats));
                double bandwidth = triad.gbPerSecond(fwd.second());
                sink.add(new BenchResult("triad." + shape, shape, "java-loop", threads, "GB/s", bandwidth,
                        fwd.second()));
                sink.add(row("scan." + shape, shape, kernelName, threads, fwd.first(), elements, 12, bandwidth));
                Timing.Paired bwd = BenchThreads.with(threads, () -> pairedWithTriad(
                        () -> kernel.backward(a, h, null, gh, null, da, db, null, batch, len, D), triad.pass(),
                        repeats));
                sink.add(row("scan." + shape + ".backward", shape, kernelName, threads, bwd.first(), elements, 20,
                        triad.gbPerSecond(bwd.second())));
                if (triad == beyond) {
                    beyondCaches = bandwidth;
                }
            }
            for (BenchResult r : ModelScans.rows(threads, beyondCaches, repeats)) {
                sink.add(r);
            }
        }
    }

    /**
     * A scan and the triad timed in alternation ({@link Timing#paired}): this machine's bandwidth drifts by a
     * third for seconds at a time, and a ratio of two figures taken a second apart moved with it.
     */
    static Timing.Paired pairedWithTriad(Runnable scan, Runnable triadPass, int repeats) {
        return Timing.paired(scan, triadPass, 500 * MS, 50 * MS, repeats, 3000 * MS);
    }

    static Timing.Result time(Runnable op, int repeats) {
        return Timing.median(op, 500 * MS, 50 * MS, repeats, 3000 * MS);
    }

    static BenchResult row(String name, String shape, String kernel, int threads, Timing.Result t,
                                   int elements, int bytesPerElement, double triadGbs) {
        double gbs = (double) bytesPerElement * elements / t.nanosPerCall();
        return new BenchResult(name, shape, kernel, threads, "GB/s", gbs, t)
                .withDetail(String.format("%.3f ns/elem", t.nanosPerCall() / elements))
                .againstBound("triad", triadGbs);
    }
}
