package dev.recur.core.ops;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.api.Test;

class CrossEntropyGradTest {
    private static final int IGNORE = -100;

    /** Mean over non-ignored rows of -log(softmax(x[r])[t_r]), in double from the definition. */
    static double[] crossEntropyTwin(double[] x, int[] t, int v, int ignore) {
        double sum = 0;
        int count = 0;
        for (int r = 0; r < t.length; r++) {
            if (t[r] == ignore) {
                continue;
            }
            double z = 0;
            for (int j = 0; j < v; j++) {
                z += Math.exp(x[r * v + j]);
            }
            sum += Math.log(z) - x[r * v + t[r]];
            count++;
        }
        return new double[] {sum / count};
    }

    private static IntTensor targets(long seed, int v, int... shape) {
        Rng rng = new Rng(seed);
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            // About one target in five is ignored.
            t[i] = rng.nextInt(5) == 0 ? IGNORE : rng.nextInt(v);
        }
        t[0] = v - 1;
        return IntTensor.of(t, shape);
    }

    @Test
    void matchesDoubleTwinOnAwkwardSizes() {
        for (int[] s : new int[][] {{1, 7}, {63, 7}, {3, 500}, {2, 257, 3}}) {
            int v = s[s.length - 1];
            int[] lead = java.util.Arrays.copyOf(s, s.length - 1);
            IntTensor t = targets(s.length * 31L + v, v, lead);
            GradCheck.of("crossEntropy " + java.util.Arrays.toString(s))
                    .check(x -> CrossEntropy.crossEntropy(x[0], t, IGNORE),
                            d -> crossEntropyTwin(d[0], t.data(), v, IGNORE), in(-4, 4, s));
        }
    }

    @Test
    void customIgnoreIndexInsideTheVocabulary() {
        IntTensor t = IntTensor.of(new int[] {0, 2, 1, 2}, 4);
        GradCheck.of("crossEntropy ignore 2").check(x -> CrossEntropy.crossEntropy(x[0], t, 2),
                d -> crossEntropyTwin(d[0], t.data(), 5, 2), in(4, 5));
    }

    @Test
    void hugeLogitsKeepPrecision() {
        Tensor x = Tensor.of(new float[] {1000f, 1001f, -1000f}, 1, 3);
        float loss = CrossEntropy.crossEntropy(x, IntTensor.of(new int[] {1}, 1)).item();
        assertThat((double) loss).isCloseTo(Math.log1p(Math.exp(-1.0)), offset(1e-6));
    }

    @Test
    void allIgnoredGivesNaNAndZeroGradientLikePyTorch() {
        Tensor x = Tensor.of(new float[] {1f, 2f, 3f, 4f}, 2, 2).requiresGrad(true);
        Tensor loss = CrossEntropy.crossEntropy(x, IntTensor.of(new int[] {IGNORE, IGNORE}, 2), IGNORE);
        assertThat(loss.item()).isNaN();
        loss.backward();
        float[] g = x.grad() == null ? new float[4] : x.grad().data();
        assertThat(g).containsOnly(0f);
    }

    @Test
    void outOfRangeTargetNamesPositionAndValue() {
        IntTensor t = IntTensor.of(new int[] {0, 1, 2, 5, 0, 1}, 2, 3);
        assertThatThrownBy(() -> CrossEntropy.crossEntropy(Tensor.zeros(2, 3, 5), t, IGNORE))
                .isInstanceOf(RecurException.class).hasMessageContaining("crossEntropy")
                .hasMessageContaining("[1, 0]").hasMessageContaining("is 5").hasMessageContaining("[0, 5)");
        IntTensor neg = IntTensor.of(new int[] {-1}, 1);
        assertThatThrownBy(() -> CrossEntropy.crossEntropy(Tensor.zeros(1, 5), neg, IGNORE))
                .isInstanceOf(RecurException.class).hasMessageContaining("[0]").hasMessageContaining("is -1");
    }

    @Test
    void mismatchedTargetShapeIsNamed() {
        assertThatThrownBy(() -> CrossEntropy.crossEntropy(Tensor.zeros(2, 3, 5), IntTensor.of(new int[6], 3, 2)))
                .isInstanceOf(RecurException.class).hasMessageContaining("crossEntropy")
                .hasMessageContaining("[2, 3]").hasMessageContaining("[3, 2]");
    }
}
