package dev.recur.layers.qlstm;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.rnn.RnnConfig;
import dev.recur.layers.rnn.RnnLayer;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;

/**
 * A benchmark harness, not a test: tokens/s of the quasi-LSTM against the fused {@link RnnLayer} LSTM of the
 * same size (batch 16, seq 256, input 128, hidden 256), forward alone (no autograd) and forward+backward, in the
 * same run. Prints the median of {@value #REPS} timed runs after warm-up.
 *
 * <p>Run from the worktree root after {@code mvn -pl recur-layers -am test-compile}:
 * {@code java --add-modules jdk.incubator.vector -cp recur-core/target/classes:recur-layers/target/classes:
 * recur-layers/target/test-classes dev.recur.layers.qlstm.QlstmBench}; add
 * {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism=1} for one thread.
 */
public final class QlstmBench {
    private static final int BATCH = 16;
    private static final int SEQ = 256;
    private static final int INPUT = 128;
    private static final int HIDDEN = 256;
    private static final int WARMUP = 5;
    private static final int REPS = 15;

    private QlstmBench() {}

    public static void main(String[] args) {
        Tensor x = Tensor.randn(new Rng(1), 1f, BATCH, SEQ, INPUT);
        float[] upstream = Tensor.randn(new Rng(2), 1f, BATCH, SEQ, HIDDEN).data();
        QlstmLayer qlstm = new QlstmLayer(QlstmConfig.of(INPUT, HIDDEN), new Rng(3));
        RnnLayer lstm = new RnnLayer(RnnConfig.lstm(INPUT, HIDDEN), new Rng(4));
        System.out.printf("B=%d T=%d I=%d H=%d, %d threads in the common pool, JVM %s%n", BATCH, SEQ, INPUT, HIDDEN,
                ForkJoinPool.getCommonPoolParallelism(), System.getProperty("java.vm.version"));
        report("quasi-LSTM forward", time(() -> {
            try (GradMode.Scope s = GradMode.noGrad()) {
                return qlstm.forward(x, null).output();
            }
        }, false, upstream));
        report("LSTM (RnnLayer) forward", time(() -> {
            try (GradMode.Scope s = GradMode.noGrad()) {
                return lstm.forward(x, null).output();
            }
        }, false, upstream));
        report("quasi-LSTM forward+backward", time(() -> qlstm.forward(x, null).output(), true, upstream));
        report("LSTM (RnnLayer) forward+backward", time(() -> lstm.forward(x, null).output(), true, upstream));
    }

    /** Median tokens/s. */
    private static double time(Supplier<Tensor> forward, boolean backward, float[] upstream) {
        double[] rates = new double[REPS];
        for (int i = 0; i < WARMUP + REPS; i++) {
            long t0 = System.nanoTime();
            Tensor y = forward.get();
            if (backward) {
                y.backward(upstream);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (i >= WARMUP) {
                rates[i - WARMUP] = BATCH * SEQ / seconds;
            }
        }
        Arrays.sort(rates);
        return rates[REPS / 2];
    }

    private static void report(String what, double tokensPerSecond) {
        System.out.printf("%-36s %10.0f tokens/s%n", what, tokensPerSecond);
    }
}
