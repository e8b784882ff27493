package dev.recur.onnx.graph;

import dev.recur.onnx.proto.NodeProto;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * The arithmetic operators around recurrent layers, as ONNX defines them: the broadcasting {@code Add},
 * {@code Sub}, {@code Mul}, {@code Div} and {@code Pow}; the element-wise {@code Sqrt}, {@code Reciprocal},
 * {@code Neg}, {@code Exp}, {@code Tanh}, {@code Sigmoid} and {@code Relu}; {@code ReduceMean};
 * {@code MatMul} (NumPy's matmul) and {@code Gemm}. Floats compute in float32, accumulating sums in double.
 */
public final class MathOps {
    private MathOps() {}

    private interface FloatBinary {
        float apply(float a, float b);
    }

    /** Adds these operators to {@code ops} under their ONNX names. */
    public static void register(Map<String, OpFactory> ops) {
        ops.put("Add", binary((a, b) -> a + b, Long::sum));
        ops.put("Sub", binary((a, b) -> a - b, (a, b) -> a - b));
        ops.put("Mul", binary((a, b) -> a * b, (a, b) -> a * b));
        ops.put("Div", binary((a, b) -> a / b, MathOps::divide));
        ops.put("Pow", binary((a, b) -> (float) Math.pow(a, b), null));
        ops.put("Sqrt", unary(Math::sqrt));
        ops.put("Reciprocal", unary(x -> 1.0 / x));
        ops.put("Neg", unary(x -> -x));
        ops.put("Exp", unary(Math::exp));
        ops.put("Tanh", unary(Math::tanh));
        ops.put("Sigmoid", unary(x -> 1.0 / (1.0 + Math.exp(-x))));
        ops.put("Relu", unary(x -> Math.max(0.0, x)));
        ops.put("ReduceMean", MathOps::reduceMean);
        ops.put("MatMul", MathOps::matmul);
        ops.put("Gemm", MathOps::gemm);
    }

    private static long divide(long a, long b) {
        if (b == 0) {
            throw new ArithmeticException("integer division by zero");
        }
        return a / b;
    }

    private static OpFactory binary(FloatBinary floats, LongBinaryOperator longs) {
        return (node, label, opset) -> {
            new Attributes(node, label).requireKnown(Set.of());
            return in -> {
                Value a = Inputs.required(label, in, 0, "A");
                Value b = Inputs.required(label, in, 1, "B");
                int[] shape = Broadcast.shape(label, a.shape(), b.shape());
                int[] ia = Broadcast.sources(label, shape, a.shape());
                int[] ib = Broadcast.sources(label, shape, b.shape());
                // Pow (no integer form here) takes a float base with an integer exponent; the others need one kind.
                boolean floatPath = a.isFloat() && (b.isFloat() || longs == null);
                if (!floatPath && (a.isFloat() || b.isFloat() || longs == null)) {
                    throw label.error("inputs " + a.describe() + " and " + b.describe() + " differ in type");
                }
                if (floatPath) {
                    float[] x = a.floatData("A");
                    float[] y = b.asFloats();
                    float[] out = new float[ia.length];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = floats.apply(x[ia[i]], y[ib[i]]);
                    }
                    return new Value[] {Value.floats(out, shape)};
                }
                long[] x = a.longData("A");
                long[] y = b.longData("B");
                long[] out = new long[ia.length];
                try {
                    for (int i = 0; i < out.length; i++) {
                        out[i] = longs.applyAsLong(x[ia[i]], y[ib[i]]);
                    }
                } catch (ArithmeticException e) {
                    throw label.error(e.getMessage());
                }
                return new Value[] {Value.longs(out, shape)};
            };
        };
    }

    private static OpFactory unary(DoubleUnaryOperator f) {
        return (node, label, opset) -> {
            new Attributes(node, label).requireKnown(Set.of());
            return in -> {
                Value x = Inputs.requireFloat(label, Inputs.required(label, in, 0, "X"), "X");
                float[] d = x.floatData("X");
                float[] out = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    out[i] = (float) f.applyAsDouble(d[i]);
                }
                return new Value[] {Value.floats(out, x.shape())};
            };
        };
    }

    private static NodeKernel reduceMean(NodeProto node, NodeLabel label, int opset) {
        Attributes attrs = new Attributes(node, label);
        attrs.requireKnown(Set.of("axes", "keepdims", "noop_with_empty_axes"));
        long[] axesAttr = attrs.ints("axes");
        boolean keep = attrs.integer("keepdims", 1) != 0;
        boolean noopWhenEmpty = attrs.integer("noop_with_empty_axes", 0) != 0;
        return in -> {
            Value x = Inputs.requireFloat(label, Inputs.required(label, in, 0, "data"), "data");
            Value axesIn = Inputs.optional(in, 1);
            long[] axes = axesAttr != null ? axesAttr
                    : axesIn == null ? new long[0] : Inputs.integers(label, axesIn, "axes");
            if (axes.length == 0 && noopWhenEmpty) {
                return new Value[] {x};
            }
            boolean[] reduced = new boolean[x.rank()];
            for (long axis : axes) {
                reduced[Inputs.axis(label, axis, x.rank())] = true;
            }
            if (axes.length == 0) {
                Arrays.fill(reduced, true);
            }
            int[] kept = new int[x.rank()];
            int count = 1;
            for (int a = 0; a < x.rank(); a++) {
                kept[a] = reduced[a] ? 1 : x.dim(a);
                count *= reduced[a] ? x.dim(a) : 1;
            }
            double[] sums = new double[Inputs.count(label, kept)];
            int[] target = Broadcast.sources(label, x.shape(), kept);
            float[] d = x.floatData("data");
            for (int i = 0; i < d.length; i++) {
                sums[target[i]] += d[i];
            }
            float[] out = new float[sums.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (sums[i] / count);
            }
            int[] shape = keep ? kept : Arrays.stream(range(x.rank())).filter(a -> !reduced[a]).map(x::dim).toArray();
            return new Value[] {Value.floats(out, shape)};
        };
    }

    private static NodeKernel matmul(NodeProto node, NodeLabel label, int opset) {
        new Attributes(node, label).requireKnown(Set.of());
        return in -> {
            Value a = Inputs.requireFloat(label, Inputs.required(label, in, 0, "A"), "A");
            Value b = Inputs.requireFloat(label, Inputs.required(label, in, 1, "B"), "B");
            if (a.rank() == 0 || b.rank() == 0) {
                throw label.error("inputs must have rank 1 or more, got " + a.describe() + " and " + b.describe());
            }
            // NumPy: a vector becomes a matrix of one row (A) or one column (B), and that axis is dropped after.
            int[] sa = a.rank() == 1 ? new int[] {1, a.dim(0)} : a.shape();
            int[] sb = b.rank() == 1 ? new int[] {b.dim(0), 1} : b.shape();
            int m = sa[sa.length - 2];
            int k = sa[sa.length - 1];
            int n = sb[sb.length - 1];
            if (sb[sb.length - 2] != k) {
                throw label.error("inner sizes differ: A " + a.describe() + ", B " + b.describe());
            }
            int[] batch = Broadcast.shape(label, Arrays.copyOf(sa, sa.length - 2), Arrays.copyOf(sb, sb.length - 2));
            int[] ia = Broadcast.sources(label, batch, Arrays.copyOf(sa, sa.length - 2));
            int[] ib = Broadcast.sources(label, batch, Arrays.copyOf(sb, sb.length - 2));
            float[] x = a.floatData("A");
            float[] y = b.floatData("B");
            float[] out = new float[Inputs.count(label, append(batch, m, n))];
            for (int p = 0; p < ia.length; p++) {
                int offA = ia[p] * m * k;
                int offB = ib[p] * k * n;
                int offC = p * m * n;
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int q = 0; q < k; q++) {
                            s += (double) x[offA + i * k + q] * y[offB + q * n + j];
                        }
                        out[offC + i * n + j] = (float) s;
                    }
                }
            }
            int[] shape = append(batch, m, n);
            if (a.rank() == 1 || b.rank() == 1) {
                int drop = a.rank() == 1 ? shape.length - 2 : shape.length - 1;
                int[] squeezed = new int[shape.length - 1];
                for (int i = 0, j = 0; i < shape.length; i++) {
                    if (i != drop) {
                        squeezed[j++] = shape[i];
                    }
                }
                shape = squeezed;
            }
            return new Value[] {Value.floats(out, shape)};
        };
    }

    private static NodeKernel gemm(NodeProto node, NodeLabel label, int opset) {
        Attributes attrs = new Attributes(node, label);
        attrs.requireKnown(Set.of("alpha", "beta", "transA", "transB"));
        float alpha = attrs.real("alpha", 1f);
        float beta = attrs.real("beta", 1f);
        boolean transA = attrs.integer("transA", 0) != 0;
        boolean transB = attrs.integer("transB", 0) != 0;
        return in -> {
            Value a = Inputs.requireFloat(label, Inputs.required(label, in, 0, "A"), "A");
            Value b = Inputs.requireFloat(label, Inputs.required(label, in, 1, "B"), "B");
            Value c = Inputs.optional(in, 2);
            Inputs.requireRank(label, a, "A", 2);
            Inputs.requireRank(label, b, "B", 2);
            int m = transA ? a.dim(1) : a.dim(0);
            int k = transA ? a.dim(0) : a.dim(1);
            int kb = transB ? b.dim(1) : b.dim(0);
            int n = transB ? b.dim(0) : b.dim(1);
            if (k != kb) {
                throw label.error("inner sizes differ: A " + a.describe() + (transA ? " transposed" : "") + ", B "
                        + b.describe() + (transB ? " transposed" : ""));
            }
            float[] x = a.floatData("A");
            float[] y = b.floatData("B");
            int[] shape = {m, n};
            float[] bias = null;
            int[] ic = null;
            if (c != null) {
                Inputs.requireFloat(label, c, "C");
                if (!Arrays.equals(Broadcast.shape(label, c.shape(), shape), shape)) {
                    throw label.error("input C " + c.describe() + " does not broadcast to [" + m + ", " + n + "]");
                }
                bias = c.floatData("C");
                ic = Broadcast.sources(label, shape, c.shape());
            }
            float[] out = new float[Inputs.count(label, shape)];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int q = 0; q < k; q++) {
                        s += (double) x[transA ? q * m + i : i * k + q] * y[transB ? j * k + q : q * n + j];
                    }
                    double v = alpha * s + (bias == null ? 0 : (double) beta * bias[ic[i * n + j]]);
                    out[i * n + j] = (float) v;
                }
            }
            return new Value[] {Value.floats(out, shape)};
        };
    }

    private static int[] append(int[] batch, int m, int n) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = m;
        s[batch.length + 1] = n;
        return s;
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
