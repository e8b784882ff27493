package dev.recur.train.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.tasks.AnswerAccuracy;
import dev.recur.tasks.TokenBatch;
import dev.recur.tasks.memory.MemoryConfig;
import dev.recur.tasks.memory.MemoryKind;
import dev.recur.tasks.memory.MemoryTask;
import org.junit.jupiter.api.Test;

/**
 * Multi-head scoring: the logits of a model with {@code heads * classes} outputs are split head-major, and the
 * overall and per-head accuracies equal counts made here position by position.
 */
class TokenTaskScoresTest {
    @Test
    void multiHeadLogitsSplitHeadMajorAndScoresMatchACount() {
        MemoryTask task = new MemoryTask(MemoryConfig.multi(MemoryKind.PARITY, 2, 4, 12), 3);
        TokenBatch first = task.batch(4, 0);
        int heads = first.targets().dim(2);
        TokenModel model = TokenModels.create("lstm",
                new TokenModelSpec(task.vocabSize(), task.targetClasses(), heads, 8, 1, 1), new Rng(2));
        Tensor flat = model.forward(first.inputs());                              // [B, T, heads * C]
        Tensor split = TokenTaskTraining.logits(model, first);                    // [B, T, heads, C]
        int c = task.targetClasses();
        assertArrayEquals(new int[] {4, 12, heads, c}, split.shape());
        assertEquals(flat.get(1, 5, 2 * c + 1), split.get(1, 5, 2, 1));

        TokenTaskTraining.Scores s = TokenTaskTraining.score(model, task, 4, 2);
        long[] right = new long[heads];
        long[] total = new long[heads];
        for (int k = 0; k < 2; k++) {
            TokenBatch b = task.batch(4, TokenTaskTraining.EVAL_OFFSET + k);
            IntTensor p = AnswerAccuracy.argmax(TokenTaskTraining.logits(model, b));
            for (int i = 0; i < p.size(); i++) {
                if (b.mask().data()[i] != 0f) {
                    total[i % heads]++;
                    right[i % heads] += p.data()[i] == b.targets().data()[i] ? 1 : 0;
                }
            }
        }
        long allRight = 0;
        long all = 0;
        for (int h = 0; h < heads; h++) {
            assertEquals((double) right[h] / total[h], s.perHead()[h], 1e-12, "head " + h);
            allRight += right[h];
            all += total[h];
        }
        assertEquals((double) allRight / all, s.accuracy(), 1e-12);
        assertEquals(all, s.answers());
    }
}
