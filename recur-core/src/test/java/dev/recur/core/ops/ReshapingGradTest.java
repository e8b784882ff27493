package dev.recur.core.ops;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shape ops against double twins written with full-index arithmetic; gradients by finite differences. */
class ReshapingGradTest {
    private static int[] unflatten(int i, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = i % shape[d];
            i /= shape[d];
        }
        return idx;
    }

    private static int flatten(int[] idx, int[] shape) {
        int f = 0;
        for (int d = 0; d < shape.length; d++) {
            f = f * shape[d] + idx[d];
        }
        return f;
    }

    /** Output index {@code o} takes input index {@code o[inverse of perm]}. */
    static double[] permuteTwin(double[] x, int[] shape, int[] perm) {
        int[] out = new int[shape.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = shape[perm[i]];
        }
        double[] y = new double[x.length];
        for (int o = 0; o < y.length; o++) {
            int[] oi = unflatten(o, out);
            int[] si = new int[shape.length];
            for (int i = 0; i < out.length; i++) {
                si[perm[i]] = oi[i];
            }
            y[o] = x[flatten(si, shape)];
        }
        return y;
    }

    /** Elements {@code start, start+step, ...} (below end) along {@code axis}. */
    static double[] sliceTwin(double[] x, int[] shape, int axis, int start, int end, int step) {
        int len = (end - start + step - 1) / step;
        int[] out = shape.clone();
        out[axis] = len;
        int n = 1;
        for (int d : out) {
            n *= d;
        }
        double[] y = new double[n];
        for (int o = 0; o < n; o++) {
            int[] idx = unflatten(o, out);
            idx[axis] = start + idx[axis] * step;
            y[o] = x[flatten(idx, shape)];
        }
        return y;
    }

    @Test
    void reshapeUnsqueezeSqueezeKeepTheOrder() {
        GradCheck.of("reshape").check(x -> Reshaping.reshape(x[0], 4, -1), d -> d[0].clone(), in(2, 3, 6));
        GradCheck.of("unsqueeze").check(x -> Reshaping.unsqueeze(x[0], -1), d -> d[0].clone(), in(3, 7));
        GradCheck.of("squeeze").check(x -> Reshaping.squeeze(x[0], 1), d -> d[0].clone(), in(3, 1, 7));
        assertThat(Reshaping.reshape(Tensor.zeros(2, 3, 6), 4, -1).shape()).containsExactly(4, 9);
        assertThat(Reshaping.reshape(Tensor.zeros(6), -1).shape()).containsExactly(6);
        assertThat(Reshaping.unsqueeze(Tensor.zeros(3, 7), 1).shape()).containsExactly(3, 1, 7);
        assertThat(Reshaping.unsqueeze(Tensor.zeros(3, 7), -1).shape()).containsExactly(3, 7, 1);
        assertThat(Reshaping.squeeze(Tensor.zeros(3, 1, 7), -2).shape()).containsExactly(3, 7);
        float[] src = {1f, 2f, 3f};
        Tensor r = Reshaping.reshape(Tensor.of(src, 3), 1, 3);
        src[0] = 9f;
        assertThat(r.data()[0]).as("reshape copies: tensors have no views").isEqualTo(1f);
    }

    @Test
    void transposeAndPermute() {
        int[] shape = {2, 3, 4};
        GradCheck.of("transpose 0 2").check(x -> Reshaping.transpose(x[0], 0, 2),
                d -> permuteTwin(d[0], shape, new int[] {2, 1, 0}), in(shape));
        GradCheck.of("transpose -1 -2").check(x -> Reshaping.transpose(x[0], -1, -2),
                d -> permuteTwin(d[0], shape, new int[] {0, 2, 1}), in(shape));
        GradCheck.of("permute 1 0 2").check(x -> Reshaping.permute(x[0], 1, 0, 2),
                d -> permuteTwin(d[0], shape, new int[] {1, 0, 2}), in(shape));
        int[] big = {5, 7, 63};
        GradCheck.of("permute 2 0 1").check(x -> Reshaping.permute(x[0], 2, 0, 1),
                d -> permuteTwin(d[0], big, new int[] {2, 0, 1}), in(big));
        assertThat(Reshaping.permute(Tensor.zeros(2, 3, 4), 2, 0, 1).shape()).containsExactly(4, 2, 3);
        assertThat(Reshaping.transpose(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), 0, 1).data())
                .containsExactly(1f, 4f, 2f, 5f, 3f, 6f);
    }

    @Test
    void concatAlongEachAxis() {
        GradCheck.of("concat axis 1").check(x -> Reshaping.concat(1, x[0], x[1], x[2]), d -> {
            int[][] widths = {{2, 3, 4}, {2, 1, 4}, {2, 5, 4}};
            double[] y = new double[2 * 9 * 4];
            for (int b = 0; b < 2; b++) {
                int at = 0;
                for (int t = 0; t < 3; t++) {
                    int w = widths[t][1];
                    for (int j = 0; j < w; j++) {
                        for (int k = 0; k < 4; k++) {
                            y[(b * 9 + at + j) * 4 + k] = d[t][(b * w + j) * 4 + k];
                        }
                    }
                    at += w;
                }
            }
            return y;
        }, in(2, 3, 4), in(2, 1, 4), in(2, 5, 4));
        GradCheck.of("concat axis 0").check(x -> Reshaping.concat(0, x[0], x[1]), d -> {
            double[] y = new double[d[0].length + d[1].length];
            System.arraycopy(d[0], 0, y, 0, d[0].length);
            System.arraycopy(d[1], 0, y, d[0].length, d[1].length);
            return y;
        }, in(3, 7), in(1, 7));
        GradCheck.of("concat last axis, one constant").check(x -> Reshaping.concat(-1, x[0], x[1]), d -> {
            double[] y = new double[3 * 8];
            for (int r = 0; r < 3; r++) {
                for (int j = 0; j < 8; j++) {
                    y[r * 8 + j] = j < 5 ? d[0][r * 5 + j] : d[1][r * 3 + j - 5];
                }
            }
            return y;
        }, in(3, 5), in(3, 3).constant());
    }

    @Test
    void sliceWithAndWithoutStep() {
        int[] shape = {3, 10, 4};
        GradCheck.of("slice 2..7").check(x -> Reshaping.slice(x[0], 1, 2, 7),
                d -> sliceTwin(d[0], shape, 1, 2, 7, 1), in(shape));
        GradCheck.of("slice step 3").check(x -> Reshaping.slice(x[0], 1, 1, 10, 3),
                d -> sliceTwin(d[0], shape, 1, 1, 10, 3), in(shape));
        GradCheck.of("slice negative").check(x -> Reshaping.slice(x[0], -1, -3, -1),
                d -> sliceTwin(d[0], shape, 2, 1, 3, 1), in(shape));
        GradCheck.of("slice 257").check(x -> Reshaping.slice(x[0], 0, 100, 257, 2),
                d -> sliceTwin(d[0], new int[] {257}, 0, 100, 257, 2), in(257));
        assertThat(Reshaping.slice(Tensor.zeros(3, 10), 1, 4, 4).shape()).containsExactly(3, 0);
    }

    @Test
    void splitPiecesAreGraphNodesWhoseGradientsAccumulate() {
        int[] shape = {2, 6, 3};
        // Reassemble the pieces in reverse order: every piece's rule must add into the one input gradient.
        GradCheck.of("split then concat reversed").check(x -> {
            List<Tensor> p = Reshaping.split(x[0], 1, 2, 3, 1);
            return Reshaping.concat(1, p.get(2), p.get(1), p.get(0));
        }, d -> {
            double[] a = sliceTwin(d[0], shape, 1, 5, 6, 1);
            double[] b = sliceTwin(d[0], shape, 1, 2, 5, 1);
            double[] c = sliceTwin(d[0], shape, 1, 0, 2, 1);
            double[] y = new double[d[0].length];
            for (int r = 0; r < 2; r++) {
                System.arraycopy(a, r * 3, y, r * 18, 3);
                System.arraycopy(b, r * 9, y, r * 18 + 3, 9);
                System.arraycopy(c, r * 6, y, r * 18 + 12, 6);
            }
            return y;
        }, in(shape));
        List<Tensor> pieces = Reshaping.split(Tensor.zeros(2, 6, 3), -2, 2, 3, 1);
        assertThat(pieces).hasSize(3);
        assertThat(pieces.get(1).shape()).containsExactly(2, 3, 3);
        Tensor x = Tensor.zeros(4).requiresGrad(true);
        assertThat(Reshaping.split(x, 0, 1, 3).get(0).op()).isEqualTo("split");
    }

    @Test
    void badShapesNameTheOpTheExpectedAndTheGot() {
        assertThatThrownBy(() -> Reshaping.reshape(Tensor.zeros(2, 3), 4, 2)).isInstanceOf(RecurException.class)
                .hasMessageContaining("reshape").hasMessageContaining("[4, 2]").hasMessageContaining("[2, 3]");
        assertThatThrownBy(() -> Reshaping.reshape(Tensor.zeros(2, 3), -1, 4)).isInstanceOf(RecurException.class)
                .hasMessageContaining("reshape").hasMessageContaining("[-1, 4]");
        assertThatThrownBy(() -> Reshaping.reshape(Tensor.zeros(2, 3), -1, -1)).isInstanceOf(RecurException.class)
                .hasMessageContaining("reshape");
        assertThatThrownBy(() -> Reshaping.permute(Tensor.zeros(2, 3, 4), 0, 0, 1))
                .isInstanceOf(RecurException.class).hasMessageContaining("permute")
                .hasMessageContaining("[2, 3, 4]").hasMessageContaining("[0, 0, 1]");
        assertThatThrownBy(() -> Reshaping.transpose(Tensor.zeros(2, 3), 0, 2))
                .isInstanceOf(RecurException.class).hasMessageContaining("transpose");
        assertThatThrownBy(() -> Reshaping.concat(1, Tensor.zeros(2, 3), Tensor.zeros(3, 3)))
                .isInstanceOf(RecurException.class).hasMessageContaining("concat")
                .hasMessageContaining("[2, 3]").hasMessageContaining("[3, 3]");
        assertThatThrownBy(() -> Reshaping.concat(0)).isInstanceOf(RecurException.class)
                .hasMessageContaining("concat");
        assertThatThrownBy(() -> Reshaping.split(Tensor.zeros(2, 6), 1, 2, 3))
                .isInstanceOf(RecurException.class).hasMessageContaining("split")
                .hasMessageContaining("[2, 3]").hasMessageContaining("[2, 6]");
        assertThatThrownBy(() -> Reshaping.slice(Tensor.zeros(2, 6), 1, 3, 8))
                .isInstanceOf(RecurException.class).hasMessageContaining("slice")
                .hasMessageContaining("end=8").hasMessageContaining("[2, 6]");
        assertThatThrownBy(() -> Reshaping.slice(Tensor.zeros(2, 6), 1, 0, 6, 0))
                .isInstanceOf(RecurException.class).hasMessageContaining("step=0");
        assertThatThrownBy(() -> Reshaping.squeeze(Tensor.zeros(2, 6), 1))
                .isInstanceOf(RecurException.class).hasMessageContaining("squeeze")
                .hasMessageContaining("[2, 6]").hasMessageContaining("size 6");
    }
}
