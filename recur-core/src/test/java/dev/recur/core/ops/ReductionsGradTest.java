package dev.recur.core.ops;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Reductions against double twins that visit every element through its full index. */
class ReductionsGradTest {
    private enum Kind { SUM, MEAN, MAX }

    /** Reduces {@code x} of {@code shape} over {@code axes}; the output is laid out with the kept axes in order. */
    static double[] twin(Kind kind, double[] x, int[] shape, int[] axes) {
        int rank = shape.length;
        boolean[] red = new boolean[rank];
        for (int a : axes) {
            red[a < 0 ? a + rank : a] = true;
        }
        int outN = 1;
        int count = 1;
        for (int d = 0; d < rank; d++) {
            if (red[d]) {
                count *= shape[d];
            } else {
                outN *= shape[d];
            }
        }
        double[] y = new double[outN];
        Arrays.fill(y, kind == Kind.MAX ? Double.NEGATIVE_INFINITY : 0);
        int[] idx = new int[rank];
        for (int i = 0; i < x.length; i++) {
            int rem = i;
            for (int d = rank - 1; d >= 0; d--) {
                idx[d] = rem % shape[d];
                rem /= shape[d];
            }
            int o = 0;
            for (int d = 0; d < rank; d++) {
                if (!red[d]) {
                    o = o * shape[d] + idx[d];
                }
            }
            y[o] = kind == Kind.MAX ? Math.max(y[o], x[i]) : y[o] + x[i];
        }
        if (kind == Kind.MEAN) {
            for (int o = 0; o < outN; o++) {
                y[o] /= count;
            }
        }
        return y;
    }

    private static final Object[][] CASES = {
        {new int[] {3, 4, 5}, new int[] {0}},
        {new int[] {3, 4, 5}, new int[] {-1}},
        {new int[] {3, 4, 5}, new int[] {1}},
        {new int[] {3, 4, 5}, new int[] {1, 2}},
        {new int[] {3, 4, 5}, new int[] {0, 2}},
        {new int[] {3, 4, 5}, new int[] {0, 1, 2}},
        {new int[] {2, 63}, new int[] {1}},
        {new int[] {257}, new int[] {0}},
        {new int[] {500, 2}, new int[] {0}},
        {new int[] {2, 3, 1, 7}, new int[] {3, 1}},
    };

    @Test
    void sumMeanMaxOverAxesWithAndWithoutKeepDim() {
        for (Object[] c : CASES) {
            int[] shape = (int[]) c[0];
            int[] axes = (int[]) c[1];
            String name = Arrays.toString(shape) + " over " + Arrays.toString(axes);
            for (boolean keep : new boolean[] {false, true}) {
                GradCheck.of("sum " + name).check(x -> Reductions.sum(x[0], axes, keep),
                        d -> twin(Kind.SUM, d[0], shape, axes), in(shape));
                GradCheck.of("mean " + name).check(x -> Reductions.mean(x[0], axes, keep),
                        d -> twin(Kind.MEAN, d[0], shape, axes), in(shape));
                GradCheck.of("max " + name).check(x -> Reductions.max(x[0], axes, keep),
                        d -> twin(Kind.MAX, d[0], shape, axes), in(shape));
            }
        }
    }

    @Test
    void wholeTensorReductionsAreScalars() {
        int[] shape = {4, 7};
        int[] all = {0, 1};
        GradCheck.of("sum all").check(x -> Reductions.sum(x[0]), d -> twin(Kind.SUM, d[0], shape, all), in(shape));
        GradCheck.of("mean all").check(x -> Reductions.mean(x[0]), d -> twin(Kind.MEAN, d[0], shape, all),
                in(shape));
        GradCheck.of("max all").check(x -> Reductions.max(x[0]), d -> twin(Kind.MAX, d[0], shape, all), in(shape));
        assertThat(Reductions.sum(Tensor.zeros(4, 7)).shape()).isEmpty();
    }

    @Test
    void shapesWithKeepDim() {
        Tensor x = Tensor.zeros(2, 3, 4);
        assertThat(Reductions.sum(x, new int[] {0, 2}, true).shape()).containsExactly(1, 3, 1);
        assertThat(Reductions.sum(x, new int[] {0, 2}, false).shape()).containsExactly(3);
        assertThat(Reductions.max(x, -1, false).shape()).containsExactly(2, 3);
    }

    @Test
    void maxGradientGoesToTheFirstMaximalElement() {
        Tensor x = Tensor.of(new float[] {1f, 3f, 3f, 2f, 5f, 5f}, 2, 3).requiresGrad(true);
        Tensor y = Reductions.max(x, 1, false);
        assertThat(y.data()).containsExactly(3f, 5f);
        y.backward(new float[] {1f, 2f});
        assertThat(x.grad().data()).containsExactly(0f, 1f, 0f, 0f, 2f, 0f);
        Tensor all = Tensor.of(new float[] {5f, 1f, 5f, 2f}, 2, 2).requiresGrad(true);
        Reductions.max(all).backward();
        assertThat(all.grad().data()).containsExactly(1f, 0f, 0f, 0f);
    }

    @Test
    void maxPropagatesNaNAndMeanOfEmptyIsNaN() {
        assertThat(Reductions.max(Tensor.of(new float[] {1f, Float.NaN, 3f}, 3)).item()).isNaN();
        assertThat(Reductions.mean(Tensor.zeros(2, 0), 1, false).data()).containsExactly(Float.NaN, Float.NaN);
        assertThat(Reductions.sum(Tensor.zeros(2, 0), 1, false).data()).containsExactly(0f, 0f);
    }

    @Test
    void badAxesNameTheOp() {
        assertThatThrownBy(() -> Reductions.sum(Tensor.zeros(2, 3), 2, false))
                .isInstanceOf(RecurException.class).hasMessageContaining("sum").hasMessageContaining("axis 2");
        assertThatThrownBy(() -> Reductions.mean(Tensor.zeros(2, 3), new int[] {1, -1}, false))
                .isInstanceOf(RecurException.class).hasMessageContaining("mean").hasMessageContaining("twice")
                .hasMessageContaining("[2, 3]");
        assertThatThrownBy(() -> Reductions.max(Tensor.zeros(2, 0), 1, false))
                .isInstanceOf(RecurException.class).hasMessageContaining("max").hasMessageContaining("[2, 0]");
    }
}
