package dev.recur.train.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.tasks.TokenBatch;
import org.junit.jupiter.api.Test;

/** The answer loss counts only masked-in positions: checked against a double-precision closed form. */
class AnswerLossTest {
    private static final float[] LOGITS = {0.5f, -1f, 2f, 0.1f, 0.2f, 0.3f, -2f, 1f, 0.5f, 3f, 0f, -1f};

    private static TokenBatch batch() {
        // [B=2, T=2] with 3 classes; answers at (0,1) and (1,0) only.
        return new TokenBatch(0, IntTensor.of(new int[] {0, 1, 1, 0}, 2, 2), IntTensor.of(new int[] {0, 2, 1, 0}, 2, 2),
                Tensor.of(new float[] {0, 1, 1, 0}, 2, 2));
    }

    private static double nll(int row, int target) {
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            sum += Math.exp(LOGITS[row * 3 + c]);
        }
        return Math.log(sum) - LOGITS[row * 3 + target];
    }

    @Test
    void averagesOverAnswerPositionsOnly() {
        Tensor logits = Tensor.of(LOGITS.clone(), 2, 2, 3).requiresGrad(true);
        Tensor loss = AnswerLoss.of(logits, batch());
        assertEquals((nll(1, 2) + nll(2, 1)) / 2, loss.item(), 1e-6);
        loss.backward();
        float[] g = logits.grad().data();
        for (int c = 0; c < 3; c++) {
            assertEquals(0f, g[c], "row 0 is not an answer");
            assertEquals(0f, g[9 + c], "row 3 is not an answer");
        }
    }

    @Test
    void masksTargetsWithTheIgnoreIndex() {
        assertArrayEquals(new int[] {-100, 2, 1, -100}, AnswerLoss.maskedTargets(batch()).data());
    }

    @Test
    void rejectsLogitsOfTheWrongShape() {
        RecurException e = assertThrows(RecurException.class,
                () -> AnswerLoss.of(Tensor.zeros(2, 3, 3), batch()));
        assertEquals("AnswerLoss: expected logits [2, 2] + [classes], got [2, 3, 3]", e.getMessage());
    }
}
