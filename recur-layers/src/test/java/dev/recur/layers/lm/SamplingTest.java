package dev.recur.layers.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import org.junit.jupiter.api.Test;

/** Token choice: greedy, temperature sampling, top-k and top-p against closed-form probabilities. */
class SamplingTest {
    private static final float[] LOGITS = {0f, (float) Math.log(2), (float) Math.log(4), (float) Math.log(1)};

    private static double[] frequencies(Sampling s, int draws) {
        Rng rng = new Rng(s.seed());
        double[] f = new double[LOGITS.length];
        for (int i = 0; i < draws; i++) {
            f[Generator.choose(LOGITS, s, rng)] += 1.0 / draws;
        }
        return f;
    }

    @Test
    void greedyPicksTheLargestLogit() {
        assertThat(Generator.choose(LOGITS, Sampling.greedy(), new Rng(1))).isEqualTo(2);
    }

    @Test
    void temperatureOneFollowsTheSoftmax() {
        // softmax of log(1, 2, 4, 1) is (1, 2, 4, 1) / 8
        double[] f = frequencies(new Sampling(1, 0, 1, 7), 80_000);
        assertThat(f[0]).isCloseTo(1 / 8.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(f[1]).isCloseTo(2 / 8.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(f[2]).isCloseTo(4 / 8.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void topKKeepsOnlyTheKMostLikely() {
        // top-2 keeps ids 2 and 1 with weights 4:2
        double[] f = frequencies(new Sampling(1, 2, 1, 3), 60_000);
        assertThat(f[0] + f[3]).isZero();
        assertThat(f[2]).isCloseTo(2 / 3.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        // sorted probabilities 0.5, 0.25, 0.125, 0.125: p = 0.7 keeps the first two
        double[] f = frequencies(new Sampling(1, 0, 0.7, 5), 60_000);
        assertThat(f[0] + f[3]).isZero();
        assertThat(f[1]).isCloseTo(1 / 3.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void sameSeedSameDraws() {
        assertThat(frequencies(new Sampling(0.8, 0, 0.9, 11), 1000))
                .containsExactly(frequencies(new Sampling(0.8, 0, 0.9, 11), 1000));
    }

    @Test
    void invalidSettingsNameTheField() {
        assertThatThrownBy(() -> new Sampling(-1, 0, 1, 0)).isInstanceOf(RecurException.class)
                .hasMessageContaining("temperature");
        assertThatThrownBy(() -> new Sampling(1, -2, 1, 0)).isInstanceOf(RecurException.class)
                .hasMessageContaining("top-k");
        assertThatThrownBy(() -> new Sampling(1, 0, 0, 0)).isInstanceOf(RecurException.class)
                .hasMessageContaining("top-p");
    }
}
