package dev.recur.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GradClipTest {
    static final String[] NAMES = {"a", "b", "c"};
    static final int[][] SHAPES = {{3, 4}, {5}, {2, 2}};

    static Parameters withGrads(double std) {
        Parameters params = Fixtures.randomParameters(1, NAMES, SHAPES);
        Rng rng = new Rng(2);
        for (NamedParameter p : params) {
            Fixtures.setGrad(p, Fixtures.randomGrad(rng, p, std));
        }
        return params;
    }

    /** The norm straight from the definition, in double. */
    static double norm(Parameters params) {
        double s = 0;
        for (NamedParameter p : params) {
            float[] g = p.gradData();
            if (g != null) {
                for (float v : g) {
                    s += (double) v * v;
                }
            }
        }
        return Math.sqrt(s);
    }

    @Test
    void largeGradientsAreScaledToExactlyTheBoundInTheSameDirection() {
        Parameters params = withGrads(10);
        float[][] before = new float[3][];
        for (int p = 0; p < 3; p++) {
            before[p] = params.list().get(p).gradData().clone();
        }
        double expectedNorm = norm(params);
        double returned = GradClip.clipByGlobalNorm(params, 1.5);
        assertThat(returned).isCloseTo(expectedNorm, within(1e-12 * expectedNorm));
        assertThat(expectedNorm).isGreaterThan(10);
        assertThat(norm(params)).isCloseTo(1.5, within(1.5e-6));
        double ratio = 1.5 / expectedNorm;
        for (int p = 0; p < 3; p++) {
            float[] g = params.list().get(p).gradData();
            for (int i = 0; i < g.length; i++) {
                assertThat((double) g[i]).isCloseTo(before[p][i] * ratio, within(1e-6 * Math.abs(before[p][i])));
            }
        }
    }

    @Test
    void gradientsWithinTheBoundAreUntouched() {
        Parameters params = withGrads(0.01);
        float[][] before = new float[3][];
        for (int p = 0; p < 3; p++) {
            before[p] = params.list().get(p).gradData().clone();
        }
        double n = GradClip.clipByGlobalNorm(params, 1.0);
        assertThat(n).isCloseTo(norm(params), within(1e-15));
        for (int p = 0; p < 3; p++) {
            assertArrayEquals(before[p], params.list().get(p).gradData());
        }
    }

    @Test
    void parametersWithoutGradientsAreSkipped() {
        Parameters params = withGrads(1);
        params.list().get(1).value().zeroGrad();
        double n = GradClip.globalNorm(params);
        assertThat(n).isCloseTo(norm(params), within(1e-12));
        GradClip.clipByGlobalNorm(params, n / 2);
        assertThat(params.list().get(1).gradData()).isNull();
        assertThat(norm(params)).isCloseTo(n / 2, within(1e-6 * n));
    }

    @Test
    void nonFiniteGradientNamesTheFirstBadParameter() {
        Parameters params = withGrads(1);
        params.list().get(1).gradData()[3] = Float.NaN;
        params.list().get(2).gradData()[0] = Float.POSITIVE_INFINITY;
        float[] firstBefore = params.list().get(0).gradData().clone();
        assertThatThrownBy(() -> GradClip.clipByGlobalNorm(params, 1e-3)).isInstanceOf(RecurException.class)
                .hasMessageContaining("'b'").hasMessageContaining("NaN").hasMessageContaining("index 3");
        assertArrayEquals(firstBefore, params.list().get(0).gradData());
        params.list().get(1).gradData()[3] = 0;
        assertThatThrownBy(() -> GradClip.globalNorm(params)).hasMessageContaining("'c'")
                .hasMessageContaining("Infinity");
    }

    @Test
    void hugeFiniteGradientsClipExactlyThoughTheirNormExceedsFloatRange() {
        Parameters params = Fixtures.randomParameters(1, new String[] {"w"}, new int[][] {{16}});
        float[] g = new float[16];
        Arrays.fill(g, 3e38f);
        Fixtures.setGrad(params.list().get(0), g);
        double n = GradClip.clipByGlobalNorm(params, 1.0);
        assertThat(n).isCloseTo(4 * (double) 3e38f, within(1e26));
        assertThat(norm(params)).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void rejectsBadBound() {
        Parameters params = withGrads(1);
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> GradClip.clipByGlobalNorm(params, bad)).hasMessageContaining("maxNorm");
        }
    }
}
