package dev.recur.train.tasks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.layers.depth.ActResult;
import dev.recur.layers.depth.UniversalTransformerConfig;
import dev.recur.tasks.TokenBatch;
import dev.recur.tasks.memory.MemoryConfig;
import dev.recur.tasks.memory.MemoryKind;
import dev.recur.tasks.memory.MemoryTask;
import org.junit.jupiter.api.Test;

/**
 * A Universal Transformer with ACT (one shared block) learns N-parity of the last N bits: held-out accuracy on
 * the answer positions, scored by {@code AnswerAccuracy} against the task's own targets, must reach 99%
 * (chance is 50%). The halting counts and the ponder cost on a held-out batch are printed.
 */
class UniversalTransformerLearnsTest {
    private static final int SEQ_LEN = 32;

    private static void learn(int n, int width, int steps) {
        var ut = new UniversalTransformerTagger(2, 2, UniversalTransformerConfig.of(width, 2, 4), 0.01, new Rng(1));
        var config = new TokenTaskTraining.Config(steps, 32, 3e-3, 1.0, 50, 4, 0.99);
        MemoryTask task = new MemoryTask(MemoryConfig.single(MemoryKind.PARITY, n, SEQ_LEN), 1);
        TokenTaskTraining.Result r = TokenTaskTraining.train(ut, task, config);
        ActResult act;
        try (var scope = GradMode.noGrad()) {
            TokenBatch batch = task.batch(32, TokenTaskTraining.EVAL_OFFSET);
            act = ut.run(batch.inputs()).act();
        }
        System.out.printf("universal transformer, %d-parity: %d steps, accuracy %.4f, halting steps mean %.2f max %d,"
                + " ponder cost %.3f%n", n, r.steps(), r.accuracy(), act.meanSteps(), act.mostSteps(),
                act.ponderCost().item());
        assertTrue(r.accuracy() >= 0.99, n + "-parity accuracy " + r.accuracy() + " after " + r.steps());
    }

    @Test
    void learnsThreeParity() {
        learn(3, 16, 600);
    }
}
