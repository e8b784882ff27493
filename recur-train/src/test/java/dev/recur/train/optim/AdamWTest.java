package dev.recur.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.train.Fixtures;
import dev.recur.train.NamedParameter;
import dev.recur.train.Parameters;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AdamW against a double-precision twin written from the papers' update rules. */
class AdamWTest {
    /**
     * Adam with bias-corrected moments (Kingma and Ba 2015, Algorithm 1) and decoupled decay applied to the
     * weight before the Adam step (Loshchilov and Hutter 2019, Algorithm 2, with PyTorch's lr-scaled rate).
     */
    static final class Twin {
        final double[][] w;
        final double[][] m;
        final double[][] v;
        final long[] t;
        final boolean[] decayed;
        final double beta1;
        final double beta2;
        final double eps;
        final double weightDecay;

        Twin(Parameters params, boolean[] decayed, double beta1, double beta2, double eps, double weightDecay) {
            int n = params.size();
            w = new double[n][];
            m = new double[n][];
            v = new double[n][];
            t = new long[n];
            for (int p = 0; p < n; p++) {
                w[p] = Fixtures.toDouble(params.list().get(p).value().data());
                m[p] = new double[w[p].length];
                v[p] = new double[w[p].length];
            }
            this.decayed = decayed;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
            this.weightDecay = weightDecay;
        }

        void step(double lr, float[][] grads) {
            for (int p = 0; p < w.length; p++) {
                if (grads[p] == null) {
                    continue;
                }
                t[p]++;
                for (int i = 0; i < w[p].length; i++) {
                    double g = grads[p][i];
                    if (decayed[p]) {
                        w[p][i] -= lr * weightDecay * w[p][i];
                    }
                    m[p][i] = beta1 * m[p][i] + (1 - beta1) * g;
                    v[p][i] = beta2 * v[p][i] + (1 - beta2) * g * g;
                    double mHat = m[p][i] / (1 - Math.pow(beta1, t[p]));
                    double vHat = v[p][i] / (1 - Math.pow(beta2, t[p]));
                    w[p][i] -= lr * mHat / (Math.sqrt(vHat) + eps);
                }
            }
        }
    }

    static Parameters params() {
        return Fixtures.randomParameters(7, new String[] {"proj.weight", "proj.bias", "embed"},
                new int[][] {{3, 5}, {5}, {4, 3}});
    }

    @Test
    void matchesDoubleTwinOverStepsWithDecaySkippedGradientsAndChangingRate() {
        Parameters params = params();
        AdamWConfig config = new AdamWConfig(1e-2, 0.8, 0.95, 1e-6, 0.1);
        AdamW adamw = new AdamW(params, config, AdamW.matricesOnly());
        assertThat(adamw.decays("proj.weight")).isTrue();
        assertThat(adamw.decays("proj.bias")).isFalse();
        Twin twin = new Twin(params, new boolean[] {true, false, true}, 0.8, 0.95, 1e-6, 0.1);
        Rng rng = new Rng(11);
        List<NamedParameter> list = params.list();
        for (int step = 0; step < 12; step++) {
            double lr = 1e-2 * (1 + 0.25 * step);
            float[][] grads = new float[list.size()][];
            for (int p = 0; p < list.size(); p++) {
                // The embedding gets no gradient on some steps: its step count and moments must not advance.
                boolean skip = p == 2 && (step == 3 || step == 4 || step == 7);
                list.get(p).value().zeroGrad();
                if (!skip) {
                    grads[p] = Fixtures.randomGrad(rng, list.get(p), 0.5);
                    Fixtures.setGrad(list.get(p), grads[p]);
                }
            }
            adamw.setLearningRate(lr);
            adamw.step();
            twin.step(lr, grads);
            for (int p = 0; p < list.size(); p++) {
                float[] got = list.get(p).value().data();
                for (int i = 0; i < got.length; i++) {
                    assertThat((double) got[i]).as("%s[%d] after step %d", list.get(p).name(), i, step)
                            .isCloseTo(twin.w[p][i], within(2e-6 * Math.max(1, Math.abs(twin.w[p][i]))));
                }
            }
        }
        assertThat(adamw.exportState().get("adamw.step.embed").data()).containsExactly(9f, 0f);
        assertThat(adamw.exportState().get("adamw.step.proj.bias").data()).containsExactly(12f, 0f);
    }

    @Test
    void firstStepIsBiasCorrectedToTheGradientSign() {
        // With m = (1-b1) g and v = (1-b2) g^2, bias correction gives m/sqrt(v) = sign(g) exactly (up to eps);
        // without it the step would be (1-b1)/sqrt(1-b2) = 3.16 times larger.
        Tensor w = Tensor.of(new float[] {1f, -2f, 0.5f, 3f}, 2, 2).requiresGrad(true);
        Parameters params = Parameters.of(List.of(new NamedParameter("w", w)));
        float[] g = {0.3f, -4f, 1e-3f, -0.02f};
        Fixtures.setGrad(params.list().get(0), g);
        double lr = 0.05;
        double wd = 0.2;
        new AdamW(params, AdamWConfig.of(lr).withWeightDecay(wd).withEps(1e-8)).step();
        float[] before = {1f, -2f, 0.5f, 3f};
        for (int i = 0; i < 4; i++) {
            double expected = before[i] * (1 - lr * wd) - lr * g[i] / (Math.abs(g[i]) + 1e-8);
            assertThat((double) w.data()[i]).as("w[%d]", i).isCloseTo(expected, within(1e-6));
        }
    }

    @Test
    void weightDecayActsEvenWhereTheGradientIsZero() {
        Tensor w = Tensor.of(new float[] {2f, -4f}, 2, 1).requiresGrad(true);
        Parameters params = Parameters.of(List.of(new NamedParameter("w", w)));
        Fixtures.setGrad(params.list().get(0), new float[] {0f, 0f});
        AdamW adamw = new AdamW(params, AdamWConfig.of(0.1).withWeightDecay(0.5));
        adamw.step();
        adamw.step();
        // Decoupled: w * (1 - lr wd)^2; the zero gradient leaves m = 0, so the Adam term adds nothing.
        assertThat(w.data()[0]).isCloseTo(2f * 0.95f * 0.95f, within(1e-6f));
        assertThat(w.data()[1]).isCloseTo(-4f * 0.95f * 0.95f, within(1e-6f));
    }

    @Test
    void configRejectsBadFieldsByName() {
        assertThatThrownBy(() -> AdamWConfig.of(1e-3).withBetas(0.9, 1.0)).isInstanceOf(RecurException.class)
                .hasMessageContaining("beta2").hasMessageContaining("1.0");
        assertThatThrownBy(() -> AdamWConfig.of(1e-3).withEps(0)).hasMessageContaining("eps");
        assertThatThrownBy(() -> AdamWConfig.of(-1)).hasMessageContaining("learning rate");
        assertThatThrownBy(() -> AdamWConfig.of(1e-3).withWeightDecay(Double.NaN)).hasMessageContaining("weightDecay");
        assertThatThrownBy(() -> new AdamW(params(), AdamWConfig.of(1e-3)).setLearningRate(Double.POSITIVE_INFINITY))
                .hasMessageContaining("AdamW: learning rate");
    }
}
