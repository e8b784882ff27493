package dev.recur.train.tasks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.random.Rng;
import dev.recur.tasks.memory.MemoryConfig;
import dev.recur.tasks.memory.MemoryKind;
import dev.recur.tasks.memory.MemoryTask;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An LSTM learns N-parity: the accuracy on held-out answer positions, counted by {@code AnswerAccuracy} from the
 * task's own targets, must reach 99% (chance is 50%).
 */
class ParityLearningTest {

    private static TokenTaskTraining.Result learn(int n, int seqLen, int hidden, int steps, long seed) {
        MemoryTask task = new MemoryTask(MemoryConfig.single(MemoryKind.PARITY, n, seqLen), seed);
        LstmTagger model = new LstmTagger(2, 8, hidden, 2, new Rng(seed));
        var config = new TokenTaskTraining.Config(steps, 32, 1e-2, 1.0, 25, 4, 0.99);
        TokenTaskTraining.Result r = TokenTaskTraining.train(model, task, config);
        System.out.printf("parity n=%d hidden=%d: %d steps, accuracy %.4f, loss %.4f%n",
                n, hidden, r.steps(), r.accuracy(), r.loss());
        return r;
    }

    @Test
    void lstmLearnsThreeParity() {
        TokenTaskTraining.Result r = learn(3, 32, 32, 600, 1);
        assertTrue(r.accuracy() >= 0.99, "3-parity accuracy " + r.accuracy());
    }

    @Test
    @Tag("slow")
    void lstmLearnsFiveParity() {
        TokenTaskTraining.Result r = learn(5, 32, 64, 2000, 2);
        assertTrue(r.accuracy() >= 0.99, "5-parity accuracy " + r.accuracy());
    }
}
