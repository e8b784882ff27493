package dev.recur.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

class AnswerAccuracyTest {
    @Test
    void countsOnlyAnswerPositions() {
        TokenBatch batch = new TokenBatch(0, IntTensor.of(new int[] {1, 2, 3, 4}, 1, 4),
                IntTensor.of(new int[] {0, 5, 0, 6}, 1, 4), Tensor.of(new float[] {0, 1, 0, 1}, 1, 4));
        assertThat(AnswerAccuracy.of(batch, IntTensor.of(new int[] {9, 5, 9, 7}, 1, 4))).isEqualTo(0.5);
        assertThat(AnswerAccuracy.of(batch, IntTensor.of(new int[] {9, 5, 9, 6}, 1, 4))).isEqualTo(1.0);
        assertThatThrownBy(() -> AnswerAccuracy.of(batch, IntTensor.of(new int[] {1, 2}, 1, 2)))
                .isInstanceOf(RecurException.class).hasMessageContaining("[1, 4]");
    }

    @Test
    void argmaxTakesTheLastAxisAndTheFirstOfTies() {
        Tensor logits = Tensor.of(new float[] {0, 3, 1, 2, 2, 0}, 1, 2, 3);
        assertThat(AnswerAccuracy.argmax(logits).data()).containsExactly(1, 0);
        assertThat(AnswerAccuracy.argmax(logits).shape()).containsExactly(1, 2);
    }

    @Test
    void perHeadSplitsTheLastAxis() {
        TokenBatch batch = new TokenBatch(0, IntTensor.of(new int[] {0, 1}, 1, 2),
                IntTensor.of(new int[] {1, 0, 1, 1}, 1, 2, 2), Tensor.of(new float[] {1, 0, 1, 1}, 1, 2, 2));
        double[] acc = AnswerAccuracy.perHead(batch, IntTensor.of(new int[] {1, 1, 0, 1}, 1, 2, 2));
        assertThat(acc).containsExactly(0.5, 1.0);
    }
}
