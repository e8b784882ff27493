package dev.recur.tasks.hmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.tasks.TokenBatch;
import org.junit.jupiter.api.Test;

class HmmTaskTest {
    /** p(x[0..k]) by summing over every state path, for a tiny model. */
    private static double bruteForce(HiddenMarkovModel m, int[] x, int k) {
        int s = m.states();
        int paths = (int) Math.pow(s, k + 1);
        double total = 0;
        for (int code = 0; code < paths; code++) {
            int c = code;
            int prev = -1;
            double p = 1;
            for (int t = 0; t <= k; t++) {
                int state = c % s;
                c /= s;
                p *= (t == 0 ? m.initial(state) : m.transition(prev, state)) * m.emission(state, x[t]);
                prev = state;
            }
            total += p;
        }
        return total;
    }

    @Test
    void forwardAlgorithmMatchesBruteForceOnATinyModel() {
        for (HmmStructure structure : HmmStructure.values()) {
            HiddenMarkovModel m = HiddenMarkovModel.random(3, 3, structure, 0.7, new Rng(5));
            int[] x = m.sample(new Rng(9), 6);
            double[][] next = m.nextDistributions(x);
            for (int t = 0; t + 1 < x.length; t++) {
                double conditional = bruteForce(m, x, t + 1) / bruteForce(m, x, t);
                assertThat(next[t][x[t + 1]]).as("%s step %d", structure, t).isCloseTo(conditional, within(1e-12));
                double sum = 0;
                for (double p : next[t]) {
                    sum += p;
                }
                assertThat(sum).isCloseTo(1.0, within(1e-12));
            }
        }
    }

    @Test
    void optimalLossIsTheMeanNegativeLogOfTheBruteForceConditionals() {
        HmmTask task = new HmmTask(new HmmConfig(3, 4, HmmStructure.CYCLIC, 5, 0.5), 2);
        TokenBatch batch = task.batch(3, 0);
        double sum = 0;
        for (int b = 0; b < 3; b++) {
            int[] x = new int[6];
            for (int t = 0; t < 5; t++) {
                x[t] = batch.inputs().data()[b * 5 + t];
                if (t < 4) {
                    assertThat(batch.targets().data()[b * 5 + t]).as("targets are the next input")
                            .isEqualTo(batch.inputs().data()[b * 5 + t + 1]);
                }
            }
            x[5] = batch.targets().data()[b * 5 + 4];
            for (int t = 0; t < 5; t++) {
                sum -= Math.log(bruteForce(task.model(), x, t + 1) / bruteForce(task.model(), x, t));
            }
        }
        assertThat(task.optimalLoss(batch)).isCloseTo(sum / 15, within(1e-10));
    }

    @Test
    void predictingTheExactDistributionHasNoExcessLossAndAUniformGuessHasSome() {
        HmmTask task = new HmmTask(new HmmConfig(4, 6, HmmStructure.CHAIN, 40, 0.3), 8);
        TokenBatch batch = task.batch(4, 1);
        float[] logits = new float[4 * 40 * 6];
        for (int b = 0; b < 4; b++) {
            int[] x = new int[41];
            System.arraycopy(batch.inputs().data(), b * 40, x, 0, 40);
            x[40] = batch.targets().data()[b * 40 + 39];
            double[][] next = task.model().nextDistributions(x);
            for (int t = 0; t < 40; t++) {
                for (int k = 0; k < 6; k++) {
                    logits[(b * 40 + t) * 6 + k] = (float) Math.log(next[t][k]);
                }
            }
        }
        assertThat(task.excessLoss(Tensor.of(logits, 4, 40, 6), batch)).isCloseTo(0.0, within(1e-5));
        double uniform = task.excessLoss(Tensor.zeros(4, 40, 6), batch);
        assertThat(uniform).isGreaterThan(0.05);
        assertThat(HmmTask.modelLoss(Tensor.zeros(4, 40, 6), batch)).isCloseTo(Math.log(6), within(1e-6));
    }

    @Test
    void structuresForbidTheRightMovesAndRowsAreDistributions() {
        HiddenMarkovModel cyclic = HiddenMarkovModel.random(5, 4, HmmStructure.CYCLIC, 1, new Rng(1));
        HiddenMarkovModel chain = HiddenMarkovModel.random(5, 4, HmmStructure.CHAIN, 1, new Rng(1));
        HiddenMarkovModel full = HiddenMarkovModel.random(5, 4, HmmStructure.FULL, 1, new Rng(1));
        for (int i = 0; i < 5; i++) {
            double rc = 0;
            for (int j = 0; j < 5; j++) {
                boolean ring = j == i || j == (i + 1) % 5;
                boolean line = Math.abs(i - j) <= 1;
                assertThat(cyclic.transition(i, j) > 0).isEqualTo(ring);
                assertThat(chain.transition(i, j) > 0).isEqualTo(line);
                assertThat(full.transition(i, j)).isPositive();
                rc += cyclic.transition(i, j);
            }
            assertThat(rc).isCloseTo(1.0, within(1e-12));
        }
    }

    @Test
    void deterministicBySeedAndValidated() {
        HmmConfig c = new HmmConfig(4, 8, HmmStructure.FULL, 20, 0.5);
        int[] first = new HmmTask(c, 3).batch(2, 4).inputs().data();
        assertThat(new HmmTask(c, 3).batch(2, 4).inputs().data()).isEqualTo(first);
        assertThat(new HmmTask(c, 4).batch(2, 4).inputs().data()).isNotEqualTo(first);
        assertThatThrownBy(() -> new HmmConfig(1, 8, HmmStructure.FULL, 20, 0.5)).isInstanceOf(RecurException.class)
                .hasMessageContaining("states 1");
        assertThatThrownBy(() -> new HiddenMarkovModel(new double[] {0.5, 0.6}, new double[2][2], new double[2][2]))
                .isInstanceOf(RecurException.class).hasMessageContaining("initial distribution");
    }
}
