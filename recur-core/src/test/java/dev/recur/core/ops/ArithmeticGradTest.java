package dev.recur.core.ops;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;

/** Arithmetic ops against double twins that broadcast by explicit index arithmetic, and finite differences. */
class ArithmeticGradTest {
    /** Pairs of shapes: equal, bias-like, outer-product-like, scalar, rank-0, and awkward sizes. */
    private static final int[][][] CASES = {
        {{3, 5}, {3, 5}},
        {{2, 3, 7}, {7}},
        {{7}, {2, 3, 7}},
        {{4, 1}, {1, 5}},
        {{2, 1, 3}, {4, 1}},
        {{1}, {3, 4}},
        {{3, 4}, {}},
        {{}, {}},
        {{63}, {63}},
        {{5, 257}, {257}},
        {{2, 500}, {2, 1}},
        {{3, 1, 17}, {1, 2, 1}},
    };

    /** numpy broadcasting of two row-major arrays, element by element through full indices. */
    static double[] broadcastTwin(double[] a, int[] as, double[] b, int[] bs, DoubleBinaryOperator f) {
        int rank = Math.max(as.length, bs.length);
        int[] out = new int[rank];
        for (int d = 0; d < rank; d++) {
            int da = d - (rank - as.length) >= 0 ? as[d - (rank - as.length)] : 1;
            int db = d - (rank - bs.length) >= 0 ? bs[d - (rank - bs.length)] : 1;
            out[d] = Math.max(da, db);
        }
        int n = 1;
        for (int d : out) {
            n *= d;
        }
        double[] y = new double[n];
        int[] idx = new int[rank];
        for (int i = 0; i < n; i++) {
            int rem = i;
            for (int d = rank - 1; d >= 0; d--) {
                idx[d] = rem % out[d];
                rem /= out[d];
            }
            y[i] = f.applyAsDouble(a[flat(idx, as)], b[flat(idx, bs)]);
        }
        return y;
    }

    /** The flat index in a (broadcast) operand of an output index. */
    private static int flat(int[] outIdx, int[] shape) {
        int off = outIdx.length - shape.length;
        int f = 0;
        for (int d = 0; d < shape.length; d++) {
            int i = shape[d] == 1 ? 0 : outIdx[d + off];
            f = f * shape[d] + i;
        }
        return f;
    }

    @Test
    void addSubMulDivBroadcastMatchTwinAndFiniteDifferences() {
        for (int[][] c : CASES) {
            int[] as = c[0];
            int[] bs = c[1];
            String shapes = java.util.Arrays.toString(as) + " " + java.util.Arrays.toString(bs);
            GradCheck.of("add " + shapes).check(x -> Arithmetic.add(x[0], x[1]),
                    d -> broadcastTwin(d[0], as, d[1], bs, Double::sum), in(as), in(bs));
            GradCheck.of("sub " + shapes).check(x -> Arithmetic.sub(x[0], x[1]),
                    d -> broadcastTwin(d[0], as, d[1], bs, (p, q) -> p - q), in(as), in(bs));
            GradCheck.of("mul " + shapes).check(x -> Arithmetic.mul(x[0], x[1]),
                    d -> broadcastTwin(d[0], as, d[1], bs, (p, q) -> p * q), in(as), in(bs));
            GradCheck.of("div " + shapes).check(x -> Arithmetic.div(x[0], x[1]),
                    d -> broadcastTwin(d[0], as, d[1], bs, (p, q) -> p / q), in(as), in(0.5, 2.0, bs));
        }
    }

    @Test
    void constantOperandGetsNoGradientAndOtherStillDoes() {
        GradCheck.of("mul constant").check(x -> Arithmetic.mul(x[0], x[1]),
                d -> broadcastTwin(d[0], new int[] {3, 4}, d[1], new int[] {4}, (p, q) -> p * q),
                in(3, 4), in(4).constant());
    }

    @Test
    void sameTensorOnBothSidesAccumulatesBothGradients() {
        GradCheck.of("mul(x, x)").check(x -> Arithmetic.mul(x[0], x[0]), d -> {
            double[] y = new double[d[0].length];
            for (int i = 0; i < y.length; i++) {
                y[i] = d[0][i] * d[0][i];
            }
            return y;
        }, in(5, 7));
    }

    private static double[] map(double[] x, java.util.function.DoubleUnaryOperator f) {
        double[] y = new double[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = f.applyAsDouble(x[i]);
        }
        return y;
    }

    @Test
    void scalarFormsNegSquareAndPow() {
        for (int[] s : new int[][] {{1}, {7}, {3, 21}, {257}}) {
            GradCheck.of("add scalar").check(x -> Arithmetic.add(x[0], 0.7f), d -> map(d[0], v -> v + 0.7f), in(s));
            GradCheck.of("mul scalar").check(x -> Arithmetic.mul(x[0], -1.3f), d -> map(d[0], v -> v * -1.3f),
                    in(s));
            GradCheck.of("neg").check(x -> Arithmetic.neg(x[0]), d -> map(d[0], v -> -v), in(s));
            GradCheck.of("square").check(x -> Arithmetic.square(x[0]), d -> map(d[0], v -> v * v), in(s));
            GradCheck.of("pow 3").check(x -> Arithmetic.pow(x[0], 3f), d -> map(d[0], v -> v * v * v), in(s));
            GradCheck.of("pow 0.5").check(x -> Arithmetic.pow(x[0], 0.5f), d -> map(d[0], Math::sqrt),
                    in(0.2, 3, s));
            GradCheck.of("pow -1.5").check(x -> Arithmetic.pow(x[0], -1.5f), d -> map(d[0], v -> Math.pow(v, -1.5)),
                    in(0.5, 3, s));
        }
    }

    @Test
    void powZeroHasZeroGradient() {
        Tensor x = Tensor.of(new float[] {0f, 2f, -3f}, 3).requiresGrad(true);
        Tensor y = Arithmetic.pow(x, 0f);
        assertThat(y.data()).containsExactly(1f, 1f, 1f);
        y.backward(new float[] {1f, 1f, 1f});
        assertThat(x.grad().data()).containsExactly(0f, 0f, 0f);
    }

    @Test
    void incompatibleShapesNameTheOpAndBothShapes() {
        assertThatThrownBy(() -> Arithmetic.add(Tensor.zeros(2, 3), Tensor.zeros(4)))
                .isInstanceOf(RecurException.class)
                .hasMessageContaining("add").hasMessageContaining("[2, 3]").hasMessageContaining("[4]");
        assertThatThrownBy(() -> Arithmetic.div(Tensor.zeros(5, 2, 3), Tensor.zeros(4, 1)))
                .isInstanceOf(RecurException.class)
                .hasMessageContaining("div").hasMessageContaining("[5, 2, 3]").hasMessageContaining("[4, 1]");
        assertThatThrownBy(() -> Arithmetic.mul(Tensor.zeros(3), Tensor.zeros(2)))
                .hasMessageContaining("mul").hasMessageContaining("[3]").hasMessageContaining("[2]");
        assertThatThrownBy(() -> Arithmetic.sub(Tensor.zeros(3), Tensor.zeros(2)))
                .hasMessageContaining("sub");
    }

    @Test
    void resultShapeIsTheBroadcastShape() {
        assertThat(Arithmetic.add(Tensor.zeros(2, 1, 3), Tensor.zeros(4, 1)).shape()).containsExactly(2, 4, 3);
        assertThat(Arithmetic.mul(Tensor.zeros(0, 3), Tensor.zeros(3)).shape()).containsExactly(0, 3);
        assertThat(Arithmetic.add(Tensor.zeros(1, 0), Tensor.zeros(4, 1)).shape()).containsExactly(4, 0);
    }
}
