package dev.recur.tasks.recall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.tasks.TokenBatch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectiveCopyTaskTest {
    @Test
    void targetsAreTheDataTokensInOrderAtTheMarkers() {
        SelectiveCopyConfig c = SelectiveCopyConfig.MAMBA;
        SelectiveCopyTask task = new SelectiveCopyTask(c, 5);
        TokenBatch batch = task.batch(8, 2);
        int t = c.seqLen();
        int region = t - c.numTokens();
        for (int b = 0; b < 8; b++) {
            List<Integer> data = new ArrayList<>();
            for (int i = 0; i < region; i++) {
                int id = batch.inputs().data()[b * t + i];
                assertThat(batch.mask().data()[b * t + i]).isZero();
                if (id != 0) {
                    assertThat(id).isBetween(1, c.vocabSize() - 2);
                    data.add(id);
                }
            }
            assertThat(data).hasSize(c.numTokens());
            for (int j = 0; j < c.numTokens(); j++) {
                int k = b * t + region + j;
                assertThat(batch.inputs().data()[k]).isEqualTo(c.vocabSize() - 1);
                assertThat(batch.mask().data()[k]).isEqualTo(1f);
                assertThat(batch.targets().data()[k]).isEqualTo(data.get(j));
            }
        }
    }

    @Test
    void deterministicBySeedAndPositionsVary() {
        SelectiveCopyConfig c = new SelectiveCopyConfig(10, 64, 4);
        TokenBatch a = new SelectiveCopyTask(c, 1).batch(16, 0);
        assertThat(new SelectiveCopyTask(c, 1).batch(16, 0).inputs().data()).isEqualTo(a.inputs().data());
        assertThat(new SelectiveCopyTask(c, 2).batch(16, 0).inputs().data()).isNotEqualTo(a.inputs().data());
        // the first data token is not always at the same position (that would be plain copying)
        java.util.Set<Integer> firstPositions = new java.util.HashSet<>();
        for (int b = 0; b < 16; b++) {
            for (int i = 0; i < 64; i++) {
                if (a.inputs().data()[b * 64 + i] != 0) {
                    firstPositions.add(i);
                    break;
                }
            }
        }
        assertThat(firstPositions.size()).isGreaterThan(4);
    }

    @Test
    void rejectsBadParameters() {
        assertThatThrownBy(() -> new SelectiveCopyConfig(2, 64, 4)).isInstanceOf(RecurException.class)
                .hasMessageContaining("vocab_size");
        assertThatThrownBy(() -> new SelectiveCopyConfig(16, 20, 16)).isInstanceOf(RecurException.class)
                .hasMessageContaining("seq_len").hasMessageContaining("got 20");
    }
}
