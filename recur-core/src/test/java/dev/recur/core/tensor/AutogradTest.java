package dev.recur.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import org.junit.jupiter.api.Test;

/** The graph mechanics: accumulation over shared inputs, multi-output ops, long chains, no-grad scopes. */
class AutogradTest {
    /** y = x * c, elementwise, as a minimal recorded op. */
    static Tensor scale(Tensor x, float c) {
        float[] y = new float[x.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = x.data()[i] * c;
        }
        return Tensor.result("scale", y, x.shape(), g -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < g.length; i++) {
                gx[i] += g[i] * c;
            }
        }, x);
    }

    /** y = a + b, same shapes. */
    static Tensor plus(Tensor a, Tensor b) {
        float[] y = new float[a.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = a.data()[i] + b.data()[i];
        }
        return Tensor.result("plus", y, a.shape(), g -> {
            for (Tensor t : new Tensor[] {a, b}) {
                float[] gt = t.gradBuffer();
                if (gt != null) {
                    for (int i = 0; i < g.length; i++) {
                        gt[i] += g[i];
                    }
                }
            }
        }, a, b);
    }

    @Test
    void sharedInputAccumulatesBothPaths() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor y = plus(scale(x, 3), scale(x, 5));
        y.backward(new float[] {1, 10});
        assertThat(x.grad().data()).containsExactly(8, 80);
    }

    @Test
    void multiOutputRuleRunsOnceWithAllGradients() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        int[] calls = {0};
        Tensor[] outs = Tensor.results("pair", new float[][] {{2, 4}, {3, 6}}, new int[][] {{2}, {2}}, g -> {
            calls[0]++;
            float[] gx = x.gradBuffer();
            for (int i = 0; i < 2; i++) {
                gx[i] += 2 * g[0][i] + 3 * g[1][i];
            }
        }, x);
        Tensor loss = plus(outs[0], scale(outs[1], 10));
        loss.backward(new float[] {1, 1});
        assertThat(calls[0]).isEqualTo(1);
        assertThat(x.grad().data()).containsExactly(32, 32);
    }

    @Test
    void unusedOutputGetsZeroGradient() {
        Tensor x = Tensor.of(new float[] {1}, 1).requiresGrad(true);
        Tensor[] outs = Tensor.results("pair", new float[][] {{1}, {1}}, new int[][] {{1}, {1}}, g -> {
            x.gradBuffer()[0] += 7 * g[0][0] + 11 * g[1][0];
        }, x);
        outs[1].backward(new float[] {1});
        assertThat(x.grad().data()).containsExactly(11);
    }

    @Test
    void longChainDoesNotOverflowTheStack() {
        Tensor x = Tensor.of(new float[] {1}, 1).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 200_000; i++) {
            y = scale(y, 1f);
        }
        y.backward(new float[] {2});
        assertThat(x.grad().data()).containsExactly(2);
    }

    @Test
    @SuppressWarnings("try")
    void noGradScopeRecordsNothingAndRestores() {
        Tensor x = Tensor.of(new float[] {1}, 1).requiresGrad(true);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            assertThat(scale(x, 2).tracksGrad()).isFalse();
            assertThat(GradMode.isEnabled()).isFalse();
        }
        assertThat(GradMode.isEnabled()).isTrue();
        assertThat(scale(x, 2).tracksGrad()).isTrue();
    }

    @Test
    void detachCutsTheGraph() {
        Tensor x = Tensor.of(new float[] {1}, 1).requiresGrad(true);
        Tensor d = scale(x, 2).detach();
        assertThat(d.tracksGrad()).isFalse();
        assertThat(d.data()).containsExactly(2);
    }

    @Test
    void backwardOnAConstantIsAClearError() {
        assertThatThrownBy(() -> Tensor.zeros(1).backward())
                .isInstanceOf(RecurException.class).hasMessageContaining("backward");
        assertThatThrownBy(() -> Tensor.of(new float[3], 2))
                .isInstanceOf(RecurException.class).hasMessageContaining("[2]").hasMessageContaining("3");
    }
}
