package dev.recur.peers.dl4j;

import dev.recur.cli.bench.BenchReport;
import dev.recur.cli.bench.BenchResult;
import dev.recur.cli.bench.BenchThreads;
import dev.recur.cli.bench.RnnSuite;
import dev.recur.cli.bench.Timing;
import dev.recur.core.parallel.ComputePool;
import dev.recur.layers.rnn.CellType;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Times Recur's LSTM layer ({@link RnnSuite}) in alternation with Deeplearning4j's ({@link Dl4jLstm}), forward and
 * forward + backward, at one thread count, and prints the rows {@code lstm.forward.dl4j} and
 * {@code lstm.train.dl4j} (a table, or with {@code --json} one object per line) with DL4J as {@code vs}. Run one
 * process per thread count with {@code OMP_NUM_THREADS} set to it, as {@code bench/run.sh} does: nd4j sizes its
 * OpenMP pool when it loads.
 *
 * <p>Usage: {@code Dl4jRunner [--json] [--repeats R] --threads N}.
 */
public final class Dl4jRunner {
    private static final long MS = 1_000_000L;

    private Dl4jRunner() {}

    public static void main(String[] args) {
        boolean json = false;
        int repeats = 10;
        int threads = 0;
        boolean known = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = true;
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> known = false;
            }
        }
        if (!known || threads < 1 || repeats < 1) {
            System.err.println("usage: Dl4jRunner [--json] [--repeats R>=1] --threads N>=1");
            System.exit(2);
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        BenchReport report = new BenchReport(out, json);
        System.err.printf("recur bench against Deeplearning4j 1.0.0-M2.1: %s %s, %d threads, OMP_NUM_THREADS=%s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"), threads,
                System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"));
        ComputePool.configure(threads);
        Dl4jLstm.threads(threads);
        Dl4jLstm dl4j = new Dl4jLstm();
        int reps = repeats;
        int count = threads;
        for (boolean train : new boolean[] {false, true}) {
            Timing.Paired p = BenchThreads.with(count, () -> Timing.paired(RnnSuite.operation(CellType.LSTM, train),
                    dl4j.operation(train), 1500 * MS, 200 * MS, reps, 40_000 * MS));
            double tokens = (double) RnnSuite.BATCH * RnnSuite.SEQ * 1e9;
            report.add(new BenchResult(train ? "lstm.train.dl4j" : "lstm.forward.dl4j", RnnSuite.SHAPE, "fused",
                    count, "tokens/s", tokens / p.first().nanosPerCall(), p.first().nanosPerCall() / 1e6,
                    p.first().repeats()).versus("dl4j", tokens / p.second().nanosPerCall()));
        }
        System.exit(0); // nd4j leaves non-daemon threads behind
    }
}
