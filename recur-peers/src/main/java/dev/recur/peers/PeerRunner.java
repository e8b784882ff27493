package dev.recur.peers;

import dev.recur.cli.bench.BenchReport;
import dev.recur.cli.bench.BenchResult;
import dev.recur.cli.bench.BenchSink;
import dev.recur.cli.bench.BenchSuite;
import dev.recur.cli.bench.BenchSuites;
import dev.recur.cli.bench.BenchThreads;
import dev.recur.cli.bench.GemmSuite;
import dev.recur.cli.bench.RnnSuite;
import dev.recur.cli.bench.Timing;
import dev.recur.core.parallel.ComputePool;
import dev.recur.layers.rnn.CellType;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs Recur's bench suites and, in the same process, the peers that have a figure for the same row, then prints
 * Recur's rows (a table, or with {@code --json} one object per line) with {@code vs}, {@code other} and
 * {@code ratio} filled in: {@code gemm.*} vector rows against OpenBLAS at the same shape and thread count,
 * {@code lstm.*} and {@code gru.*} against DJL + PyTorch, these two timed again in alternation with their peer
 * ({@link Timing#paired}). Rows that carry a bound from their own suite (scan
 * against the triad, decode against the bandwidth bound, Mamba training against the FMA ceiling) keep it.
 *
 * <p>Usage: {@code PeerRunner [--json] [--repeats R] [--threads N] SUITE...} with the suites of
 * {@code recur bench}. Context lines go to stderr in JSON mode.
 */
public final class PeerRunner {
    private static final long MS = 1_000_000L;

    private PeerRunner() {}

    public static void main(String[] args) {
        boolean json = false;
        int repeats = 10;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = true;
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--threads" -> ComputePool.configure(Integer.parseInt(args[++i]));
                default -> names.add(args[i]);
            }
        }
        if (names.isEmpty() || repeats < 1) {
            System.err.println("usage: PeerRunner [--json] [--repeats R>=1] [--threads N] SUITE... (suites: "
                    + BenchSuites.names() + ")");
            System.exit(2);
        }
        // PyTorch's inter-op pool must be sized before the engine starts; intra-op threads are set per figure.
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        BenchReport report = new BenchReport(out, json);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        BenchSink notes = json ? new NotesTo(err) : report;
        notes.note(String.format("recur bench with peers: %s %s, %d cores, pool of %d threads, OPENBLAS_CORETYPE=%s",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), ComputePool.shared().threads(),
                System.getenv().getOrDefault("OPENBLAS_CORETYPE", "(unset)")));
        for (BenchSuite suite : BenchSuites.select(names)) {
            List<BenchResult> rows = new ArrayList<>();
            notes.note("");
            suite.run(new BenchSink() {
                @Override
                public void note(String line) {
                    notes.note(line);
                }

                @Override
                public void add(BenchResult result) {
                    rows.add(result);
                }
            }, repeats);
            for (BenchResult row : rows) {
                report.add(withPeer(row, repeats));
            }
        }
    }

    /** The row with a peer's figure attached, when there is a peer for it; otherwise the row as it is. */
    static BenchResult withPeer(BenchResult row, int repeats) {
        if (row.compared()) {
            return row;
        }
        if (row.name().startsWith("gemm.") && row.kernel().equals("vector")) {
            for (GemmSuite.Shape s : GemmSuite.SHAPES) {
                if (s.rowName().equals(row.name())) {
                    try (OpenBlasGemm blas = new OpenBlasGemm(s, 7)) {
                        return row.versus("openblas", blas.gflops(row.threads(), repeats));
                    }
                }
            }
        }
        CellType cell = row.name().startsWith("lstm.") ? CellType.LSTM
                : row.name().startsWith("gru.") ? CellType.GRU : null;
        if (cell != null) {
            // Recur's row is timed again here, in alternation with the peer's (Timing.paired), so that both
            // figures come from the same seconds of this machine.
            boolean train = row.name().endsWith(".train");
            DjlRnn.threads(row.threads());
            try (DjlRnn djl = new DjlRnn(cell)) {
                Timing.Paired p = BenchThreads.with(row.threads(), () -> Timing.paired(
                        RnnSuite.operation(cell, train), djl.operation(train), 1500 * MS, 200 * MS, repeats,
                        20_000 * MS));
                double tokens = (double) RnnSuite.BATCH * RnnSuite.SEQ * 1e9;
                return new BenchResult(row.name(), row.shape(), row.kernel(), row.threads(), row.unit(),
                        tokens / p.first().nanosPerCall(), p.first())
                        .versus("djl-pytorch", tokens / p.second().nanosPerCall());
            }
        }
        return row;
    }

    /** Sends context lines to stderr, keeping stdout for JSON. */
    private record NotesTo(PrintWriter err) implements BenchSink {
        @Override
        public void note(String line) {
            err.println(line);
        }

        @Override
        public void add(BenchResult result) {
            throw new IllegalStateException("NotesTo takes notes only");
        }
    }
}
