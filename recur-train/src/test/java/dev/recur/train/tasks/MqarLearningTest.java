package dev.recur.train.tasks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.random.Rng;
import dev.recur.tasks.recall.MqarConfig;
import dev.recur.tasks.recall.MqarTask;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A two-block attention-only model learns multi-query associative recall: accuracy on the query positions of
 * held-out sequences, scored by {@code AnswerAccuracy} against the task's targets, must reach 99% (chance is
 * one in {@code V/2} values). The slow case is the Zoology shape (length 64, 8 pairs) with a 256-id
 * vocabulary; the fast one recalls 4 pairs in 32 tokens.
 */
class MqarLearningTest {

    private static double learn(MqarConfig task, int steps, int headDim) {
        AttentionTagger model = new AttentionTagger(task.vocabSize(), task.vocabSize(), 2, 2, headDim, new Rng(1));
        var config = new TokenTaskTraining.Config(steps, 32, 3e-3, 1.0, 100, 8, 0.99);
        TokenTaskTraining.Result r = TokenTaskTraining.train(model, new MqarTask(task, 1), config);
        System.out.printf("mqar %s: %d steps, accuracy %.4f%n", task, r.steps(), r.accuracy());
        return r.accuracy();
    }

    @Test
    void attentionRecallsFourPairs() {
        double accuracy = learn(new MqarConfig(64, 32, 4, 0.01), 1500, 16);
        assertTrue(accuracy >= 0.99, "mqar 4 pairs in 32 tokens: accuracy " + accuracy);
    }

    @Test
    @Tag("slow")
    void attentionRecallsEightPairsInSixtyFourTokens() {
        double accuracy = learn(new MqarConfig(256, 64, 8, 0.01), 4000, 32);
        assertTrue(accuracy >= 0.99, "mqar 8 pairs in 64 tokens: accuracy " + accuracy);
    }
}
