package dev.recur.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DropoutTest {
    private static final int N = 40_000;

    @Test
    void keepsAboutOneMinusPAndScalesKeptValues() {
        float p = 0.3f;
        Tensor x = Tensor.full(2f, N);
        float[] y = Dropout.dropout(x, p, new Rng(1), true).data();
        int kept = 0;
        double sum = 0;
        for (float v : y) {
            if (v != 0f) {
                kept++;
                assertThat(v).isEqualTo(2f / (1f - p));
            }
            sum += v;
        }
        // Binomial(N, 0.7): standard deviation sqrt(N * 0.21) ~ 92; allow five of them.
        assertThat(kept).isBetween((int) (0.7 * N - 460), (int) (0.7 * N + 460));
        // Inverted dropout preserves the mean: 2 within five standard errors (2 / 0.7 * sqrt(0.21 / N) ~ 0.0065).
        assertThat(sum / N).isBetween(2 - 0.033, 2 + 0.033);
    }

    @Test
    void sameSeedSameMaskDifferentSeedDifferentMask() {
        Tensor x = Tensor.randn(new Rng(5), 1f, 64, 33);
        float[] a = Dropout.dropout(x, 0.5f, new Rng(11), true).data();
        float[] b = Dropout.dropout(x, 0.5f, new Rng(11), true).data();
        float[] c = Dropout.dropout(x, 0.5f, new Rng(12), true).data();
        assertThat(b).containsExactly(a);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void gradientAppliesTheSameMaskAndScale() {
        float p = 0.25f;
        Tensor x = Tensor.uniform(new Rng(3), 0.5f, 1.5f, 7, 63).requiresGrad(true);
        Tensor y = Dropout.dropout(x, p, new Rng(4), true);
        float[] g = Tensor.randn(new Rng(6), 1f, 7, 63).data();
        y.backward(g);
        float[] gx = x.grad().data();
        for (int i = 0; i < gx.length; i++) {
            // x is never 0, so y == 0 exactly where the element was dropped.
            float expected = y.data()[i] == 0f ? 0f : g[i] / (1f - p);
            assertThat(gx[i]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void identityWhenEvaluatingOrPZero() {
        Tensor x = Tensor.randn(new Rng(2), 1f, 5, 7);
        Rng rng = new Rng(9);
        assertThat(Dropout.dropout(x, 0.5f, rng, false)).isSameAs(x);
        assertThat(Dropout.dropout(x, 0f, rng, true)).isSameAs(x);
        // Nothing was drawn: the generator is still at its first value.
        assertThat(rng.nextLong()).isEqualTo(new Rng(9).nextLong());
    }

    @Test
    void probabilityOutsideZeroOneIsAnError() {
        Tensor x = Tensor.zeros(3);
        for (float p : new float[] {1f, -0.1f, 1.5f, Float.NaN}) {
            assertThatThrownBy(() -> Dropout.dropout(x, p, new Rng(1), true))
                    .isInstanceOf(RecurException.class).hasMessageContaining("dropout")
                    .hasMessageContaining("[0, 1)").hasMessageContaining(String.valueOf(p));
        }
    }
}
