package dev.recur.layers.depth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Halting responds to the halting bias as the closed form says, and the output at position t never depends on
 * later tokens.
 *
 * <p>With bias +30, {@code p_1 = sigmoid(30 + w . s) > 1 - epsilon}: every position halts after one step, its
 * remainder is 1 (nothing accumulated before) and its ponder cost {@code 1 + 1 = 2}. With bias -30,
 * {@code p_n < 1e-12}: every position runs {@code maxSteps}, the remainder is {@code 1 - sum p ~ 1} and the
 * ponder cost {@code maxSteps + 1}.
 */
class ActHaltingTest {
    private static final UniversalTransformerConfig CONFIG = UniversalTransformerConfig.of(8, 2, 5);

    private static ActResult run(float haltBias, Tensor x) {
        UniversalTransformer ut = UniversalTransformer.create(CONFIG, new Rng(3));
        ut.parameters().get("halt.bias").data()[0] = haltBias;
        return ut.forward(x);
    }

    @Test
    void veryPositiveBiasHaltsAfterOneStep() {
        ActResult r = run(30f, Tensor.randn(new Rng(1), 1f, 2, 6, 8));
        int[] ones = new int[12];
        Arrays.fill(ones, 1);
        assertArrayEquals(ones, r.haltingSteps().data());
        for (float rem : r.remainders().data()) {
            assertEquals(1.0, rem, 1e-6);
        }
        assertEquals(2.0, r.ponderCost().item(), 1e-6);
    }

    @Test
    void veryNegativeBiasRunsMaxSteps() {
        ActResult r = run(-30f, Tensor.randn(new Rng(1), 1f, 2, 6, 8));
        int[] all = new int[12];
        Arrays.fill(all, CONFIG.maxSteps());
        assertArrayEquals(all, r.haltingSteps().data());
        assertEquals(CONFIG.maxSteps() + 1.0, r.ponderCost().item(), 1e-5);
    }

    @Test
    void outputAtTIgnoresLaterTokens() {
        int steps = 7;
        int d = CONFIG.width();
        Tensor x = Tensor.randn(new Rng(5), 1f, 1, steps, d);
        // A bias of 0 gives mixed halting counts, so frozen and running positions meet in the attention.
        ActResult base = run(0f, x);
        for (int t = 0; t < steps - 1; t++) {
            float[] changed = x.data().clone();
            Rng rng = new Rng(100 + t);
            for (int i = (t + 1) * d; i < changed.length; i++) {
                changed[i] = (float) (3 * rng.nextDouble() - 1.5);
            }
            ActResult other = run(0f, Tensor.of(changed, 1, steps, d));
            float[] a = Arrays.copyOfRange(base.output().data(), 0, (t + 1) * d);
            float[] b = Arrays.copyOfRange(other.output().data(), 0, (t + 1) * d);
            assertArrayEquals(a, b, "outputs up to position " + t + " after changing the tokens after it");
            assertArrayEquals(Arrays.copyOfRange(base.haltingSteps().data(), 0, t + 1),
                    Arrays.copyOfRange(other.haltingSteps().data(), 0, t + 1), "halting counts up to " + t);
        }
    }

    @Test
    void rejectsAWrongWidthAndMissingWeights() {
        UniversalTransformer ut = UniversalTransformer.create(CONFIG, new Rng(3));
        var e = assertThrows(RecurException.class,
                () -> ut.forward(Tensor.zeros(1, 3, 5)));
        assertTrue(e.getMessage().contains("[B, T, 8]"), e.getMessage());
        var missing = assertThrows(RecurException.class,
                () -> UniversalTransformer.of(CONFIG, Map.of()));
        assertTrue(missing.getMessage().contains("attn_norm.weight"),
                missing.getMessage());
    }
}
