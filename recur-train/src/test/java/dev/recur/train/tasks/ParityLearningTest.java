package dev.recur.train.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.random.Rng;
import dev.recur.tasks.memory.MemoryConfig;
import dev.recur.tasks.memory.MemoryCurriculum;
import dev.recur.tasks.memory.MemoryKind;
import dev.recur.tasks.memory.MemoryTask;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An LSTM learns N-parity: the accuracy on held-out answer positions, counted by {@code AnswerAccuracy} against
 * the task's own targets, must reach 99% (chance is 50%). Learning N = 10 from scratch stalls at chance; the
 * single-head curriculum (N = 2, 3, ... each time the previous N is solved) gets there.
 */
class ParityLearningTest {
    private static final int SEQ_LEN = 32;

    private static TokenTaskTraining.Config config(int steps, int evalBatches) {
        return new TokenTaskTraining.Config(steps, 32, 3e-3, 1.0, 25, evalBatches, 0.99);
    }

    @Test
    void lstmLearnsThreeParity() {
        MemoryTask task = new MemoryTask(MemoryConfig.single(MemoryKind.PARITY, 3, SEQ_LEN), 1);
        LstmTagger model = new LstmTagger(2, 8, 32, 2, new Rng(1));
        TokenTaskTraining.Result r = TokenTaskTraining.train(model, task, config(600, 4));
        assertTrue(r.accuracy() >= 0.99, "3-parity accuracy " + r.accuracy() + " after " + r.steps() + " steps");
    }

    @Test
    @Tag("slow")
    void lstmLearnsTenParityWithCurriculum() {
        MemoryCurriculum curriculum =
                new MemoryCurriculum(MemoryKind.PARITY, MemoryCurriculum.Mode.SINGLE, 2, 10, SEQ_LEN, 0.99);
        LstmTagger model = new LstmTagger(2, 8, 64, 2, new Rng(3));
        long start = System.nanoTime();
        while (true) {
            int n = curriculum.n();
            TokenTaskTraining.Result r = TokenTaskTraining.train(model, curriculum.task(3 + n), config(2000, 4));
            System.out.printf("parity N=%d: %d steps, accuracy %.4f, %.1f s so far%n",
                    n, r.steps(), r.accuracy(), (System.nanoTime() - start) / 1e9);
            assertTrue(r.accuracy() >= 0.99, n + "-parity accuracy " + r.accuracy() + " after " + r.steps());
            if (curriculum.atMax()) {
                break;
            }
            curriculum.update(new double[] {r.accuracy()});
        }
        assertEquals(10, curriculum.n());
        double accuracy = TokenTaskTraining.evaluate(model, curriculum.task(13), 64, 16);
        System.out.printf("parity N=10 on 16 fresh batches of 64: accuracy %.4f%n", accuracy);
        assertTrue(accuracy >= 0.99, "10-parity accuracy on 16 fresh batches " + accuracy);
    }
}
