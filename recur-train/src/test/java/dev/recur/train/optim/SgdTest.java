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

/** SGD against a double-precision twin of PyTorch's documented update, and a closed form for heavy ball. */
class SgdTest {
    /** PyTorch's torch.optim.SGD algorithm, in double. */
    static final class Twin {
        final double[][] w;
        final double[][] buf;
        final SgdConfig c;

        Twin(Parameters params, SgdConfig c) {
            w = new double[params.size()][];
            buf = new double[params.size()][];
            for (int p = 0; p < w.length; p++) {
                w[p] = Fixtures.toDouble(params.list().get(p).value().data());
            }
            this.c = c;
        }

        void step(double lr, float[][] grads) {
            for (int p = 0; p < w.length; p++) {
                if (grads[p] == null) {
                    continue;
                }
                double[] d = new double[w[p].length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = grads[p][i] + c.weightDecay() * w[p][i];
                }
                if (c.momentum() != 0) {
                    if (buf[p] == null) {
                        buf[p] = d.clone();
                    } else {
                        for (int i = 0; i < d.length; i++) {
                            buf[p][i] = c.momentum() * buf[p][i] + (1 - c.dampening()) * d[i];
                        }
                    }
                    for (int i = 0; i < d.length; i++) {
                        d[i] = c.nesterov() ? d[i] + c.momentum() * buf[p][i] : buf[p][i];
                    }
                }
                for (int i = 0; i < d.length; i++) {
                    w[p][i] -= lr * d[i];
                }
            }
        }
    }

    static void assertMatchesTwin(SgdConfig config) {
        Parameters params = Fixtures.randomParameters(3, new String[] {"a", "b"}, new int[][] {{4, 3}, {7}});
        Sgd sgd = new Sgd(params, config);
        Twin twin = new Twin(params, config);
        Rng rng = new Rng(5);
        List<NamedParameter> list = params.list();
        for (int step = 0; step < 10; step++) {
            double lr = config.learningRate() / (1 + step);
            float[][] grads = new float[2][];
            for (int p = 0; p < 2; p++) {
                list.get(p).value().zeroGrad();
                if (!(p == 1 && step == 4)) {
                    grads[p] = Fixtures.randomGrad(rng, list.get(p), 1.0);
                    Fixtures.setGrad(list.get(p), grads[p]);
                }
            }
            sgd.setLearningRate(lr);
            sgd.step();
            twin.step(lr, grads);
            for (int p = 0; p < 2; p++) {
                float[] got = list.get(p).value().data();
                for (int i = 0; i < got.length; i++) {
                    assertThat((double) got[i]).as("%s %s[%d] after step %d", config, list.get(p).name(), i, step)
                            .isCloseTo(twin.w[p][i], within(2e-6 * Math.max(1, Math.abs(twin.w[p][i]))));
                }
            }
        }
    }

    @Test
    void plainWithWeightDecayMatchesTwin() {
        assertMatchesTwin(SgdConfig.of(0.1).withWeightDecay(0.05));
    }

    @Test
    void momentumWithDampeningMatchesTwin() {
        assertMatchesTwin(SgdConfig.of(0.1).withMomentum(0.9).withDampening(0.3));
    }

    @Test
    void nesterovWithWeightDecayMatchesTwin() {
        assertMatchesTwin(SgdConfig.of(0.05).withMomentum(0.8).withNesterov(true).withWeightDecay(0.01));
    }

    @Test
    void heavyBallUnderConstantGradientFollowsTheGeometricSum() {
        // b_k = g (1 - mu^k) / (1 - mu), so w_k = w_0 - lr g sum_{j=1..k} (1 - mu^j) / (1 - mu).
        Tensor w = Tensor.of(new float[] {1f, -1f}, 2).requiresGrad(true);
        Parameters params = Parameters.of(List.of(new NamedParameter("w", w)));
        double lr = 0.01;
        double mu = 0.9;
        float[] g = {0.5f, 2f};
        Sgd sgd = new Sgd(params, SgdConfig.of(lr).withMomentum(mu));
        double sum = 0;
        for (int k = 1; k <= 20; k++) {
            Fixtures.setGrad(params.list().get(0), g);
            sgd.step();
            sum += (1 - Math.pow(mu, k)) / (1 - mu);
            assertThat((double) w.data()[0]).isCloseTo(1 - lr * g[0] * sum, within(1e-5));
            assertThat((double) w.data()[1]).isCloseTo(-1 - lr * g[1] * sum, within(1e-5));
        }
    }

    @Test
    void decayPredicateSparesExcludedParameters() {
        Tensor bias = Tensor.of(new float[] {3f}, 1).requiresGrad(true);
        Parameters params = Parameters.of(List.of(new NamedParameter("bias", bias)));
        Fixtures.setGrad(params.list().get(0), new float[] {0f});
        new Sgd(params, SgdConfig.of(0.1).withWeightDecay(0.5), AdamW.matricesOnly()).step();
        assertThat(bias.data()[0]).isEqualTo(3f);
        new Sgd(params, SgdConfig.of(0.1).withWeightDecay(0.5)).step();
        assertThat(bias.data()[0]).isCloseTo(3f * (1 - 0.05f), within(1e-6f));
    }

    @Test
    void gradientsAreLeftUnchanged() {
        Parameters params = Fixtures.randomParameters(1, new String[] {"w"}, new int[][] {{5}});
        float[] g = {1, 2, 3, 4, 5};
        Fixtures.setGrad(params.list().get(0), g);
        new Sgd(params, SgdConfig.of(0.1).withMomentum(0.9).withWeightDecay(0.1).withNesterov(true)).step();
        assertThat(params.list().get(0).gradData()).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void configRejectsBadFieldsByName() {
        assertThatThrownBy(() -> SgdConfig.of(0.1).withNesterov(true)).isInstanceOf(RecurException.class)
                .hasMessageContaining("nesterov").hasMessageContaining("momentum");
        assertThatThrownBy(() -> SgdConfig.of(0.1).withMomentum(0.9).withDampening(0.1).withNesterov(true))
                .hasMessageContaining("dampening");
        assertThatThrownBy(() -> SgdConfig.of(0.1).withMomentum(1.0)).hasMessageContaining("momentum");
        assertThatThrownBy(() -> SgdConfig.of(Double.NaN)).hasMessageContaining("learning rate");
        assertThatThrownBy(() -> SgdConfig.of(0.1).withWeightDecay(-1)).hasMessageContaining("weightDecay");
    }
}
