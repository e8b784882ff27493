package dev.recur.core.ops;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** Nonlinearities against double twins (erf by numerical integration, not by the code under test). */
class ActivationsGradTest {
    private static final int[][] SHAPES = {{1}, {7}, {3, 21}, {257}, {2, 250}};

    private static double[] map(double[] x, DoubleUnaryOperator f) {
        double[] y = new double[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = f.applyAsDouble(x[i]);
        }
        return y;
    }

    /** erf by composite Simpson's rule on 2/sqrt(pi) e^{-t^2} over [0, x], 400 panels (error far below 1e-12). */
    static double erfBySimpson(double x) {
        int n = 400;
        double h = x / n;
        double s = 1 + Math.exp(-x * x);
        for (int i = 1; i < n; i++) {
            double t = i * h;
            s += (i % 2 == 1 ? 4 : 2) * Math.exp(-t * t);
        }
        return s * h / 3 * 2 / Math.sqrt(Math.PI);
    }

    private static void check(String name, java.util.function.Function<Tensor, Tensor> op, DoubleUnaryOperator twin,
                              double low, double high) {
        check(name, op, twin, low, high, SHAPES);
    }

    private static void check(String name, java.util.function.Function<Tensor, Tensor> op, DoubleUnaryOperator twin,
                              double low, double high, int[][] shapes) {
        for (int[] s : shapes) {
            GradCheck.of(name + " " + java.util.Arrays.toString(s)).check(x -> op.apply(x[0]),
                    d -> map(d[0], twin), in(low, high, s));
        }
    }

    @Test
    void expLogSqrt() {
        check("exp", Activations::exp, Math::exp, -4, 4);
        check("log", Activations::log, Math::log, 0.1, 5);
        check("sqrt", Activations::sqrt, Math::sqrt, 0.1, 5);
    }

    @Test
    void tanhSigmoidSilu() {
        check("tanh", Activations::tanh, Math::tanh, -4, 4);
        check("sigmoid", Activations::sigmoid, v -> 1 / (1 + Math.exp(-v)), -8, 8);
        check("silu", Activations::silu, v -> v / (1 + Math.exp(-v)), -8, 8);
    }

    @Test
    void reluAndSoftplus() {
        check("relu", Activations::relu, v -> Math.max(v, 0), -2, 2);
        check("softplus", Activations::softplus, v -> v > 20 ? v : Math.log1p(Math.exp(v)), -6, 6);
        check("softplus above threshold", Activations::softplus, v -> v, 21, 40);
        check("softplus beta=2 threshold=3", x -> Activations.softplus(x, 2f, 3f),
                v -> 2 * v > 3 ? v : Math.log1p(Math.exp(2 * v)) / 2, -3, 3);
    }

    @Test
    void geluExactAndTanhApproximation() {
        // The integration twin is slow: fewer, smaller shapes (still with a vector tail).
        check("gelu", Activations::gelu, v -> 0.5 * v * (1 + erfBySimpson(v / Math.sqrt(2))), -5, 5,
                new int[][] {{1}, {7}, {3, 21}});
        double k = Math.sqrt(2 / Math.PI);
        check("gelu tanh", x -> Activations.gelu(x, "tanh"),
                v -> 0.5 * v * (1 + Math.tanh(k * (v + 0.044715 * v * v * v))), -5, 5);
    }

    @Test
    void edgeValuesFollowPyTorch() {
        Tensor x = Tensor.of(new float[] {Float.NaN, -0f, 0f, 3f, -3f}, 5);
        float[] relu = Activations.relu(x).data();
        assertThat(Float.isNaN(relu[0])).isTrue();
        assertThat(relu[1]).isEqualTo(0f);
        assertThat(relu[3]).isEqualTo(3f);
        assertThat(relu[4]).isEqualTo(0f);
        // Above the threshold softplus is the identity, bit for bit.
        assertThat(Activations.softplus(Tensor.of(new float[] {20.5f, 1e30f}, 2)).data())
                .containsExactly(20.5f, 1e30f);
        // Exact GELU keeps relative accuracy in the negative tail: x * Phi(x) at x = -10 is about -7.6e-23.
        float tail = Activations.gelu(Tensor.of(new float[] {-10f}, 1)).item();
        assertThat(tail).isCloseTo(-7.619853e-23f, org.assertj.core.data.Percentage.withPercentage(1e-4));
        Tensor r = Tensor.of(new float[] {0f, 1f}, 2).requiresGrad(true);
        Activations.relu(r).backward(new float[] {1f, 1f});
        assertThat(r.grad().data()).containsExactly(0f, 1f);
    }

    @Test
    void badArgumentsNameTheOp() {
        assertThatThrownBy(() -> Activations.gelu(Tensor.zeros(2), "fast"))
                .isInstanceOf(RecurException.class).hasMessageContaining("gelu").hasMessageContaining("fast");
        assertThatThrownBy(() -> Activations.softplus(Tensor.zeros(2), 0f, 20f))
                .isInstanceOf(RecurException.class).hasMessageContaining("softplus").hasMessageContaining("beta");
    }
}
