package dev.recur.cli.bench;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.qlstm.QlstmConfig;
import dev.recur.layers.qlstm.QlstmLayer;
import dev.recur.layers.rnn.CellType;
import dev.recur.layers.rnn.RnnConfig;
import dev.recur.layers.rnn.RnnLayer;

/**
 * {@code recur bench qlstm}: the quasi-LSTM (gates from the input only, the cell recurrence on the diagonal
 * scan) against the fused LSTM of the same size, measured in the same run: one layer of the {@link RnnSuite}
 * shape, forward and forward+backward tokens per second, with {@code ratio} = quasi-LSTM over LSTM.
 */
public final class QlstmSuite implements BenchSuite {
    @Override
    public String name() {
        return "qlstm";
    }

    @Override
    public String description() {
        return "one quasi-LSTM layer " + RnnSuite.SHAPE + " against the fused LSTM, forward and forward+backward";
    }

    @Override
    public void run(BenchSink sink, int repeats) {
        QlstmLayer qlstm = new QlstmLayer(QlstmConfig.of(RnnSuite.INPUT, RnnSuite.HIDDEN), new Rng(3));
        RnnLayer lstm = new RnnLayer(new RnnConfig(CellType.LSTM, RnnSuite.INPUT, RnnSuite.HIDDEN, 1, false, true, 0f),
                new Rng(3));
        Rng rng = new Rng(4);
        Tensor x = Tensor.randn(rng, 1f, RnnSuite.BATCH, RnnSuite.SEQ, RnnSuite.INPUT);
        float[] upstream = Tensor.randn(rng, 1f, RnnSuite.BATCH, RnnSuite.SEQ, RnnSuite.HIDDEN).data();
        sink.note("qlstm: quasi-LSTM vs fused LSTM, one layer " + RnnSuite.SHAPE + "; ratio = quasi-LSTM / LSTM");
        Runnable qForward = () -> {
            try (GradMode.Scope ignored = GradMode.noGrad()) {
                qlstm.forward(x, null);
            }
        };
        Runnable qTrain = () -> {
            qlstm.forward(x, null).output().backward(upstream);
            qlstm.parameters().values().forEach(Tensor::zeroGrad);
        };
        Runnable lForward = () -> {
            try (GradMode.Scope ignored = GradMode.noGrad()) {
                lstm.forward(x);
            }
        };
        Runnable lTrain = () -> {
            lstm.forward(x).output().backward(upstream);
            lstm.parameters().values().forEach(Tensor::zeroGrad);
        };
        for (int threads : BenchThreads.counts()) {
            BenchResult lf = BenchThreads.with(threads, () -> RnnSuite.measure("lstm.forward", "fused", threads,
                    lForward, repeats));
            BenchResult qf = BenchThreads.with(threads, () -> RnnSuite.measure("qlstm.forward", "scan", threads,
                    qForward, repeats));
            sink.add(qf.versus("lstm", lf.value()));
            BenchResult lt = BenchThreads.with(threads, () -> RnnSuite.measure("lstm.train", "fused", threads,
                    lTrain, repeats));
            BenchResult qt = BenchThreads.with(threads, () -> RnnSuite.measure("qlstm.train", "scan", threads,
                    qTrain, repeats));
            sink.add(qt.versus("lstm", lt.value()));
        }
    }
}
