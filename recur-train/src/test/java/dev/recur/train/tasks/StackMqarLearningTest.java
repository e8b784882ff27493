package dev.recur.train.tasks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.random.Rng;
import dev.recur.tasks.recall.MqarConfig;
import dev.recur.tasks.recall.MqarTask;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A hybrid stack built from a spec, one Mamba block under one attention block, learns multi-query associative
 * recall: answer accuracy on the query positions of held-out sequences (scored by {@code AnswerAccuracy} against
 * the task's targets) must reach 99%, where chance is one in {@code V/2} values. The slow case is the Zoology shape
 * (length 64, 8 pairs) with a 256-id vocabulary; the fast one recalls 4 pairs in 32 tokens.
 */
class StackMqarLearningTest {

    private static double learn(String spec, MqarConfig config, int dModel, int steps) {
        MqarTask task = new MqarTask(config, 1);
        StackTagger model = StackTagger.create(spec, task, dModel, 0, new Rng(1));
        var training = new TokenTaskTraining.Config(steps, 32, 3e-3, 1.0, 100, 8, 0.99);
        TokenTaskTraining.Result r = TokenTaskTraining.train(model, task, training);
        System.out.printf("mqar %s, %s, d_model %d, %d parameters: %d steps, accuracy %.4f%n", config, spec, dModel,
                model.model().parameterCount(), r.steps(), r.accuracy());
        return r.accuracy();
    }

    @Test
    void mambaAttentionRecallsFourPairs() {
        double accuracy = learn("mamba,attn", new MqarConfig(64, 32, 4, 0.01), 32, 1200);
        assertTrue(accuracy >= 0.99, "mqar 4 pairs in 32 tokens, mamba,attn: accuracy " + accuracy);
    }

    @Test
    @Tag("slow")
    void mambaAttentionRecallsEightPairsInSixtyFourTokens() {
        double accuracy = learn("mamba,attn", new MqarConfig(256, 64, 8, 0.01), 64, 3000);
        assertTrue(accuracy >= 0.99, "mqar 8 pairs in 64 tokens, mamba,attn: accuracy " + accuracy);
    }
}
