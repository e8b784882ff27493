package dev.recur.tasks.noncausal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.tasks.TokenBatch;
import org.junit.jupiter.api.Test;

class LookaheadTaskTest {
    @Test
    void targetIsTheInputOffsetPositionsLater() {
        LookaheadConfig c = new LookaheadConfig(10, 20, 3);
        TokenBatch batch = new LookaheadTask(c, 4).batch(5, 1);
        int[] in = batch.inputs().data();
        int[] target = batch.targets().data();
        float[] mask = batch.mask().data();
        for (int b = 0; b < 5; b++) {
            for (int t = 0; t < 20; t++) {
                int i = b * 20 + t;
                assertThat(in[i]).isBetween(0, 9);
                if (t < 17) {
                    assertThat(mask[i]).isEqualTo(1f);
                    assertThat(target[i]).isEqualTo(in[i + 3]);
                } else {
                    assertThat(mask[i]).isZero();
                    assertThat(target[i]).isZero();
                }
            }
        }
        assertThat(batch.answerCount()).isEqualTo(5 * 17);
    }

    @Test
    void examplesDependOnSeedAndExampleNumberOnly() {
        LookaheadConfig c = LookaheadConfig.DEFAULT;
        TokenBatch big = new LookaheadTask(c, 1).batch(4, 0);
        TokenBatch small = new LookaheadTask(c, 1).batch(2, 1);
        int t = c.seqLen();
        for (int i = 0; i < 2 * t; i++) {
            assertThat(small.inputs().data()[i]).isEqualTo(big.inputs().data()[2 * t + i]);
        }
        assertThat(new LookaheadTask(c, 2).batch(4, 0).inputs().data()).isNotEqualTo(big.inputs().data());
    }

    @Test
    void rejectsBadParameters() {
        assertThatThrownBy(() -> new LookaheadConfig(1, 10, 2)).isInstanceOf(RecurException.class)
                .hasMessageContaining("vocab_size");
        assertThatThrownBy(() -> new LookaheadConfig(4, 10, 0)).isInstanceOf(RecurException.class)
                .hasMessageContaining("offset");
        assertThatThrownBy(() -> new LookaheadConfig(4, 3, 3)).isInstanceOf(RecurException.class)
                .hasMessageContaining("seq_len").hasMessageContaining("got 3");
    }
}
