package dev.recur.tasks.recall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.tasks.TokenBatch;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MqarTaskTest {
    private static final MqarConfig SMALL = new MqarConfig(64, 64, 8, 0.01);

    @Test
    void sameSeedSameBatchesAndExamplesDoNotDependOnBatchSize() {
        TokenBatch a = new MqarTask(SMALL, 7).batch(4, 3);
        TokenBatch b = new MqarTask(SMALL, 7).batch(4, 3);
        assertThat(a.inputs().data()).isEqualTo(b.inputs().data());
        assertThat(a.targets().data()).isEqualTo(b.targets().data());
        assertThat(a.mask().data()).isEqualTo(b.mask().data());
        assertThat(new MqarTask(SMALL, 8).batch(4, 3).inputs().data()).isNotEqualTo(a.inputs().data());
        // example 13 is row 1 of batch 3 at batch size 4 and row 0 of batch 13 at batch size 1
        TokenBatch one = new MqarTask(SMALL, 7).batch(1, 13);
        int t = SMALL.seqLen();
        for (int i = 0; i < t; i++) {
            assertThat(one.inputs().data()[i]).isEqualTo(a.inputs().data()[t + i]);
        }
    }

    /** Decodes every example by reading the context as a dictionary and checks each answer against it. */
    @Test
    void answersAreTheValuesOfTheQueriedKeys() {
        MqarConfig c = MqarConfig.ZOOLOGY;
        TokenBatch batch = new MqarTask(c, 1).batch(32, 0);
        int t = c.seqLen();
        int half = c.vocabSize() / 2;
        for (int b = 0; b < 32; b++) {
            Map<Integer, Integer> dict = new HashMap<>();
            for (int i = 0; i < c.numPairs(); i++) {
                int key = batch.inputs().data()[b * t + 2 * i];
                int value = batch.inputs().data()[b * t + 2 * i + 1];
                assertThat(key).isBetween(1, half - 1);
                assertThat(value).isBetween(half, c.vocabSize() - 1);
                assertThat(dict.put(key, value)).as("keys are distinct").isNull();
            }
            Set<Integer> asked = new HashSet<>();
            for (int i = 0; i < t; i++) {
                int k = b * t + i;
                if (batch.mask().data()[k] != 0f) {
                    assertThat(i).isGreaterThanOrEqualTo(2 * c.numPairs());
                    assertThat((i - 2 * c.numPairs()) % 2).as("queries sit on even offsets").isZero();
                    int key = batch.inputs().data()[k];
                    assertThat(batch.targets().data()[k]).isEqualTo(dict.get(key));
                    asked.add(key);
                } else {
                    assertThat(batch.targets().data()[k]).isZero();
                }
            }
            assertThat(asked).isEqualTo(dict.keySet());
        }
        assertThat(batch.answerCount()).isEqualTo(32 * c.numPairs());
    }

    /** With a < 1 the gap distribution decreases: early query slots are used far more often than late ones. */
    @Test
    void queryGapsFollowADecreasingPowerLaw() {
        MqarConfig c = new MqarConfig(64, 256, 4, 0.01);
        int slots = (c.seqLen() - 2 * c.numPairs()) / 2;
        TokenBatch batch = new MqarTask(c, 3).batch(2000, 0);
        int early = 0;
        int late = 0;
        for (int b = 0; b < 2000; b++) {
            for (int i = 2 * c.numPairs(); i < c.seqLen(); i++) {
                if (batch.mask().data()[b * c.seqLen() + i] != 0f) {
                    int slot = (i - 2 * c.numPairs()) / 2;
                    early += slot < 10 ? 1 : 0;
                    late += slot >= slots - 10 ? 1 : 0;
                }
            }
        }
        // p(g) ~ (g+1)^-0.99: the first ten slots carry ~ H(10)/H(slots) of the mass, the last ten far less
        assertThat(early).isGreaterThan(10 * late);
    }

    @Test
    void rejectsImpossibleConfigurations() {
        assertThatThrownBy(() -> new MqarConfig(16, 64, 8, 0.01)).isInstanceOf(RecurException.class)
                .hasMessageContaining("vocab_size").hasMessageContaining("got 16");
        assertThatThrownBy(() -> new MqarConfig(8192, 30, 8, 0.01)).isInstanceOf(RecurException.class)
                .hasMessageContaining("seq_len");
        assertThatThrownBy(() -> new MqarConfig(8192, 64, 8, 0)).isInstanceOf(RecurException.class)
                .hasMessageContaining("power_a");
        assertThatThrownBy(() -> new MqarTask(SMALL, 1).batch(0, 0)).isInstanceOf(RecurException.class)
                .hasMessageContaining("batchSize");
    }
}
