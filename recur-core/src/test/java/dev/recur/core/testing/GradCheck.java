package dev.recur.core.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * Checks an op's float32 forward and backward against a double-precision twin of its forward.
 *
 * <p>The twin is written independently in the test (plain loops in double). Inputs are drawn in float and the
 * same values fed to both. The forward outputs must agree; then, for a random upstream gradient {@code g}, the
 * analytic gradient of {@code sum(op(x) * g)} from the autograd graph must match central differences of the
 * double twin (step {@code 1e-6}), input by input, by relative error {@code max|a-n| / max|n|}.
 */
public final class GradCheck {
    /** The op under test, on float tensors. */
    @FunctionalInterface
    public interface TensorFn {
        Tensor apply(Tensor[] inputs);
    }

    /** A double-precision twin of the op's forward, on flat row-major arrays. */
    @FunctionalInterface
    public interface DoubleFn {
        double[] apply(double[][] inputs);
    }

    /** One input: its shape, the range its values are drawn from, and whether its gradient is checked. */
    public record Input(int[] shape, double low, double high, boolean differentiable) {
        public Input constant() {
            return new Input(shape, low, high, false);
        }
    }

    public static Input in(int... shape) {
        return new Input(shape, -1, 1, true);
    }

    public static Input in(double low, double high, int... shape) {
        return new Input(shape, low, high, true);
    }

    private String name = "op";
    private long seed = 42;
    private double forwardTolerance = 1e-5;
    private double gradTolerance = 1e-4;
    private double step = 1e-6;

    public static GradCheck of(String name) {
        GradCheck g = new GradCheck();
        g.name = name;
        return g;
    }

    public GradCheck seed(long value) {
        seed = value;
        return this;
    }

    public GradCheck forwardTolerance(double value) {
        forwardTolerance = value;
        return this;
    }

    public GradCheck gradTolerance(double value) {
        gradTolerance = value;
        return this;
    }

    public GradCheck step(double value) {
        step = value;
        return this;
    }

    /** Runs the check; fails the test with the input name and the errors found. */
    public void check(TensorFn op, DoubleFn twin, Input... inputs) {
        Rng rng = new Rng(seed);
        Tensor[] tensors = new Tensor[inputs.length];
        double[][] doubles = new double[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            Input in = inputs[i];
            float[] f = new float[Shapes.numel(in.shape())];
            double[] d = new double[f.length];
            for (int j = 0; j < f.length; j++) {
                f[j] = (float) (in.low() + (in.high() - in.low()) * rng.nextDouble());
                d[j] = f[j];
            }
            tensors[i] = Tensor.of(f, in.shape()).requiresGrad(in.differentiable());
            doubles[i] = d;
        }
        Tensor out = op.apply(tensors);
        double[] expected = twin.apply(copy(doubles));
        if (expected.length != out.size()) {
            fail(name + ": op gave " + out.size() + " outputs, twin " + expected.length);
        }
        double fwdErr = relativeError(out.data(), expected);
        assertTrue(fwdErr <= forwardTolerance,
                name + ": forward relative error " + fwdErr + " > " + forwardTolerance);

        float[] upstream = new float[out.size()];
        for (int j = 0; j < upstream.length; j++) {
            upstream[j] = (float) (2 * rng.nextDouble() - 1);
        }
        boolean anyDifferentiable = false;
        for (Input in : inputs) {
            anyDifferentiable |= in.differentiable();
        }
        if (!anyDifferentiable) {
            return;
        }
        out.backward(upstream);
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].differentiable()) {
                continue;
            }
            double[] numeric = new double[doubles[i].length];
            for (int j = 0; j < numeric.length; j++) {
                double x = doubles[i][j];
                double h = step * Math.max(1.0, Math.abs(x));
                doubles[i][j] = x + h;
                double plus = dot(twin.apply(copy(doubles)), upstream);
                doubles[i][j] = x - h;
                double minus = dot(twin.apply(copy(doubles)), upstream);
                doubles[i][j] = x;
                numeric[j] = (plus - minus) / (2 * h);
            }
            Tensor grad = tensors[i].grad();
            float[] analytic = grad == null ? new float[numeric.length] : grad.data();
            double err = relativeError(analytic, numeric);
            assertTrue(err <= gradTolerance, name + ": gradient of input " + i + " "
                    + Shapes.format(inputs[i].shape()) + " relative error " + err + " > " + gradTolerance);
        }
    }

    /** {@code max|a-b| / max|b|}, with a floor on the denominator so that all-zero references compare absolutely. */
    public static double relativeError(float[] a, double[] b) {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < b.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
            maxRef = Math.max(maxRef, Math.abs(b[i]));
            if (Double.isNaN(a[i]) != Double.isNaN(b[i])) {
                return Double.POSITIVE_INFINITY;
            }
        }
        return maxDiff / Math.max(maxRef, 1e-6);
    }

    private static double dot(double[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double[][] copy(double[][] x) {
        double[][] c = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            c[i] = x[i].clone();
        }
        return c;
    }
}
