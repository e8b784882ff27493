package dev.recur.train.tasks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.random.Rng;
import dev.recur.layers.ssm.lbmamba.LbMambaConfig;
import dev.recur.layers.ssm.lbmamba.ScanDirections;
import dev.recur.tasks.noncausal.LookaheadConfig;
import dev.recur.tasks.noncausal.LookaheadTask;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lookahead (name the token {@code offset} positions later) separates encoders that see later tokens from causal
 * ones. A small LBMamba encoder (4 layers, so one reversed pair) learns it; a unidirectional Mamba of the same
 * size stays at chance ({@code 1 / vocab}), since the answer has not been read yet. The slow case compares the
 * three forms at equal width and depth, and LBMamba without a reversed pair, whose local backward scan alone can
 * reach only the answers inside its window, and prints the table recorded in {@code docs/TASKS.md}.
 */
class LookaheadLearningTest {
    private record Outcome(double accuracy, int steps, double seconds, long tokens) {
        double tokensPerSecond() {
            return tokens / seconds;
        }
    }

    private static Outcome learn(ScanDirections directions, LookaheadConfig task, int hidden, int layers, int window,
                                 int steps, int batch, double target) {
        LbMambaConfig config = LbMambaConfig.of(directions, hidden, layers, window).withStateSize(8);
        MambaEncoderTagger model = new MambaEncoderTagger(task.vocabSize(), task.vocabSize(), config, new Rng(1));
        var training = new TokenTaskTraining.Config(steps, batch, 1e-2, 1.0, 25, 4, target);
        long t0 = System.nanoTime();
        TokenTaskTraining.Result r = TokenTaskTraining.train(model, new LookaheadTask(task, 1), training);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("lookahead %s (%d layers, W=%d) %s: %d steps, accuracy %.4f, %.1f s%n",
                directions.specName(), layers, window, task, r.steps(), r.accuracy(), seconds);
        return new Outcome(r.accuracy(), r.steps(), seconds, (long) r.steps() * batch * task.seqLen());
    }

    @Test
    void lbmambaLearnsWhatACausalMambaCannot() {
        LookaheadConfig task = new LookaheadConfig(8, 16, 2);
        double local = learn(ScanDirections.LOCAL, task, 16, 4, 4, 300, 16, 0.99).accuracy();
        double causal = learn(ScanDirections.UNIDIRECTIONAL, task, 16, 4, 4, 50, 16, 0.99).accuracy();
        assertTrue(local >= 0.95, "lbmamba accuracy " + local);
        assertTrue(causal <= 0.25, "unidirectional accuracy " + causal + " (chance 0.125)");
    }

    @Test
    @Tag("slow")
    void encodersCompared() {
        LookaheadConfig task = new LookaheadConfig(16, 64, 3);
        int hidden = 32;
        int steps = 300;
        StringBuilder table = new StringBuilder("| encoder | accuracy | steps | training tokens/s |\n");
        Object[][] rows = {
            {ScanDirections.UNIDIRECTIONAL, 4, 8}, {ScanDirections.LOCAL, 2, 8}, {ScanDirections.LOCAL, 4, 8},
            {ScanDirections.GLOBAL, 4, 8},
        };
        double[] accuracy = new double[rows.length];
        for (Object[] row : rows) {
            // JIT warm-up, so that the first row's throughput is not charged for compilation.
            learn((ScanDirections) row[0], task, hidden, (int) row[1], (int) row[2], 10, 32, 2.0);
        }
        for (int i = 0; i < rows.length; i++) {
            ScanDirections d = (ScanDirections) rows[i][0];
            int layers = (int) rows[i][1];
            int window = (int) rows[i][2];
            // Equal step budgets: a target above 1 never stops a run early, so every row does the same work.
            Outcome o = learn(d, task, hidden, layers, window, steps, 32, 2.0);
            accuracy[i] = o.accuracy();
            table.append(String.format("| %s, %d layers%s | %.2f%% | %d | %.0f |%n", d.specName(), layers,
                    d == ScanDirections.LOCAL ? ", W = " + window : "", 100 * o.accuracy(), o.steps(),
                    o.tokensPerSecond()));
        }
        System.out.print(table);
        assertTrue(accuracy[0] <= 0.10, "unidirectional: " + accuracy[0] + " (chance 0.0625)");
        // Answers 3 ahead lie in the same window of 8 for 5 positions in 8: about 5/8 + 3/8 * 1/16 at best.
        assertTrue(accuracy[1] >= 0.55 && accuracy[1] <= 0.67, "lbmamba without a reversed pair: " + accuracy[1]);
        assertTrue(accuracy[2] >= 0.99, "lbmamba: " + accuracy[2]);
        assertTrue(accuracy[3] >= 0.99, "global bi-directional: " + accuracy[3]);
    }
}
