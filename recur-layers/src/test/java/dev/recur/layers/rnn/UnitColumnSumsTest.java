package dev.recur.layers.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.recur.core.random.Rng;
import org.junit.jupiter.api.Test;

/**
 * The per-part bias sums: added row by row, they equal the column sums of the gate gradients (checked against a
 * sum in double), and the sums of a split into parts are those of one part over all units, bit for bit.
 */
class UnitColumnSumsTest {
    private static final int GATES = 3;
    private static final int HIDDEN = 37; // not a multiple of a vector: the scalar tail runs too
    private static final int BATCH = 5;
    private static final int STEPS = 7;
    private static final int LD = GATES * HIDDEN + 4; // rows with a gap after the gates

    private static float[] gradients() {
        Rng rng = new Rng(9);
        float[] d = new float[STEPS * BATCH * LD];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (2 * rng.nextDouble() - 1);
        }
        return d;
    }

    /** The sums of parts cut at {@code cuts}, added into {@code acc} gate after gate. */
    private static float[] sums(float[] d, int... cuts) {
        float[] acc = new float[GATES * HIDDEN];
        for (int p = 0; p + 1 < cuts.length; p++) {
            UnitColumnSums part = new UnitColumnSums(GATES, HIDDEN, cuts[p], cuts[p + 1] - cuts[p]);
            for (int t = STEPS - 1; t >= 0; t--) { // the backward's order
                part.add(d, t * BATCH * LD, LD, BATCH);
            }
            part.addInto(acc, 0);
        }
        return acc;
    }

    @Test
    void equalsTheColumnSums() {
        float[] d = gradients();
        float[] acc = sums(d, 0, HIDDEN);
        for (int col = 0; col < GATES * HIDDEN; col++) {
            double expected = 0;
            for (int row = 0; row < STEPS * BATCH; row++) {
                expected += d[row * LD + col];
            }
            assertThat((double) acc[col]).as("column %d", col).isCloseTo(expected, within(1e-5));
        }
    }

    @Test
    void splitDoesNotChangeABit() {
        float[] d = gradients();
        assertThat(sums(d, 0, 16, 21, HIDDEN)).containsExactly(sums(d, 0, HIDDEN));
    }

    @Test
    void addsOnlyTheGatesAskedFor() {
        float[] d = gradients();
        UnitColumnSums all = new UnitColumnSums(GATES, HIDDEN, 0, HIDDEN);
        all.add(d, 0, LD, BATCH);
        float[] first = new float[GATES * HIDDEN];
        all.addInto(first, 0, 2);
        float[] every = new float[GATES * HIDDEN];
        all.addInto(every, 0);
        for (int col = 0; col < GATES * HIDDEN; col++) {
            assertThat(first[col]).isEqualTo(col < 2 * HIDDEN ? every[col] : 0f);
        }
        all.addInto(null, 0); // a layer without biases
    }
}
