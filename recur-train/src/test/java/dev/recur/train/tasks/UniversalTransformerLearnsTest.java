package dev.recur.train.tasks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.layers.depth.ActResult;
import dev.recur.layers.depth.UniversalTransformerConfig;
import dev.recur.tasks.TokenBatch;
import dev.recur.tasks.TokenTask;
import dev.recur.tasks.memory.MemoryConfig;
import dev.recur.tasks.memory.MemoryKind;
import dev.recur.tasks.memory.MemoryTask;
import dev.recur.tasks.recall.MqarConfig;
import dev.recur.tasks.recall.MqarTask;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A Universal Transformer with ACT (one shared block, at most 4 applications) learns token tasks: held-out
 * accuracy on the answer positions, scored by {@code AnswerAccuracy} against the task's own targets, must reach
 * 99%. The fast case is 3-parity (chance 50%). The slow one is multi-query associative recall, which takes an
 * attention model two distinct blocks (one copies each key forward, the next matches a query against it): one
 * shared block must then be applied more than once on average, and the test checks that it is. The halting
 * counts and the ponder cost on a held-out batch are printed.
 */
class UniversalTransformerLearnsTest {

    private static ActResult learn(String name, TokenTask task, int vocab, int width, int steps, double lr) {
        var ut = new UniversalTransformerTagger(vocab, vocab, UniversalTransformerConfig.of(width, 2, 4), 0.01,
                new Rng(1));
        var config = new TokenTaskTraining.Config(steps, 32, lr, 1.0, 50, 4, 0.99);
        TokenTaskTraining.Result r = TokenTaskTraining.train(ut, task, config);
        ActResult act;
        try (var scope = GradMode.noGrad()) {
            TokenBatch batch = task.batch(32, TokenTaskTraining.EVAL_OFFSET);
            act = ut.run(batch.inputs()).act();
        }
        System.out.printf("universal transformer, %s: %d steps, accuracy %.4f, halting steps mean %.2f max %d,"
                + " ponder cost %.3f%n", name, r.steps(), r.accuracy(), act.meanSteps(), act.mostSteps(),
                act.ponderCost().item());
        assertTrue(r.accuracy() >= 0.99, name + ": accuracy " + r.accuracy() + " after " + r.steps() + " steps");
        return act;
    }

    @Test
    void learnsThreeParity() {
        learn("3-parity", new MemoryTask(MemoryConfig.single(MemoryKind.PARITY, 3, 32), 1), 2, 16, 600, 3e-3);
    }

    @Test
    @Tag("slow")
    void recallsFourPairsWithOneSharedBlock() {
        ActResult act = learn("mqar, 4 pairs in 32 tokens", new MqarTask(new MqarConfig(64, 32, 4, 0.01), 1), 64,
                64, 2000, 1e-3);
        assertTrue(act.meanSteps() > 1.0, "mean halting steps " + act.meanSteps());
    }
}
