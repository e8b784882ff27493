package dev.recur.core.ops;

import dev.recur.core.kernel.elementwise.BinaryOp;
import dev.recur.core.kernel.elementwise.Elementwise;
import dev.recur.core.kernel.elementwise.ElementwiseKernel;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.util.Arrays;

/**
 * Elementwise arithmetic with numpy broadcasting: shapes are aligned at their last axes and an axis of size 1
 * (or a missing leading axis) is repeated to match the other operand. Each input's gradient is summed back
 * over the axes it was broadcast along. Equal shapes and trailing-axes broadcasts (a bias) run as whole rows
 * through the SIMD kernels.
 *
 * <p>Derivatives: {@code d(a+b) = (g, g)}, {@code d(a-b) = (g, -g)}, {@code d(a*b) = (g*b, g*a)},
 * {@code d(a/b) = (g/b, -g*y/b)} with {@code y = a/b}.
 */
public final class Arithmetic {
    private Arithmetic() {}

    /** {@code a + b}, broadcasting. */
    public static Tensor add(Tensor a, Tensor b) {
        return binary(BinaryOp.ADD, a, b);
    }

    /** {@code a - b}, broadcasting. */
    public static Tensor sub(Tensor a, Tensor b) {
        return binary(BinaryOp.SUB, a, b);
    }

    /** {@code a * b}, broadcasting. */
    public static Tensor mul(Tensor a, Tensor b) {
        return binary(BinaryOp.MUL, a, b);
    }

    /** {@code a / b}, broadcasting. */
    public static Tensor div(Tensor a, Tensor b) {
        return binary(BinaryOp.DIV, a, b);
    }

    /** {@code x + s}. */
    public static Tensor add(Tensor x, float s) {
        ElementwiseKernel k = Elementwise.kernel();
        float[] y = new float[x.size()];
        k.binaryScalar(BinaryOp.ADD, x.data(), 0, s, y, 0, y.length);
        return Tensor.result("add", y, x.shape(), g -> {
            float[] gx = x.gradBuffer();
            if (gx != null) {
                k.axpy(1f, g, 0, gx, 0, gx.length);
            }
        }, x);
    }

    /** {@code x * s}. */
    public static Tensor mul(Tensor x, float s) {
        return scale("mul", x, s);
    }

    /** {@code -x}. */
    public static Tensor neg(Tensor x) {
        return scale("neg", x, -1f);
    }

    /** {@code x * x}; derivative {@code 2 x g}. */
    public static Tensor square(Tensor x) {
        ElementwiseKernel k = Elementwise.kernel();
        float[] xd = x.data();
        float[] y = new float[xd.length];
        k.binary(BinaryOp.MUL, xd, 0, xd, 0, y, 0, y.length);
        return Tensor.result("square", y, x.shape(), g -> {
            float[] gx = x.gradBuffer();
            if (gx != null) {
                float[] twoG = new float[g.length];
                k.binaryScalar(BinaryOp.MUL, g, 0, 2f, twoG, 0, g.length);
                k.mulAdd(twoG, 0, xd, 0, gx, 0, gx.length);
            }
        }, x);
    }

    /**
     * {@code x ^ p}, evaluated in double and rounded once; derivative {@code p x^(p-1) g}, and 0 when
     * {@code p = 0} (as PyTorch). A negative base with a non-integer exponent gives NaN.
     */
    public static Tensor pow(Tensor x, float p) {
        float[] xd = x.data();
        float[] y = new float[xd.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) Math.pow(xd[i], p);
        }
        return Tensor.result("pow", y, x.shape(), g -> {
            float[] gx = x.gradBuffer();
            if (gx != null && p != 0f) {
                for (int i = 0; i < gx.length; i++) {
                    gx[i] += (float) (g[i] * (double) p * Math.pow(xd[i], p - 1.0));
                }
            }
        }, x);
    }

    private static Tensor scale(String op, Tensor x, float s) {
        ElementwiseKernel k = Elementwise.kernel();
        float[] y = new float[x.size()];
        k.binaryScalar(BinaryOp.MUL, x.data(), 0, s, y, 0, y.length);
        return Tensor.result(op, y, x.shape(), g -> {
            float[] gx = x.gradBuffer();
            if (gx != null) {
                k.axpy(s, g, 0, gx, 0, gx.length);
            }
        }, x);
    }

    private static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        ElementwiseKernel k = Elementwise.kernel();
        int[] aShape = a.shape();
        int[] bShape = b.shape();
        int[] outShape = Broadcast.shape(op.opName(), aShape, bShape);
        float[] y = new float[Shapes.numel(outShape)];
        boolean same = Arrays.equals(aShape, bShape);
        Broadcast plan = same ? null : Broadcast.plan(outShape, aShape, bShape);
        if (same) {
            k.binary(op, a.data(), 0, b.data(), 0, y, 0, y.length);
        } else {
            plan.apply(k, op, a.data(), b.data(), y);
        }
        return Tensor.result(op.opName(), y, outShape, g -> {
            float[] ga = a.gradBuffer();
            float[] gb = b.gradBuffer();
            switch (op) {
                case ADD:
                    accumulate(k, plan, 1f, g, true, ga);
                    accumulate(k, plan, 1f, g, false, gb);
                    break;
                case SUB:
                    accumulate(k, plan, 1f, g, true, ga);
                    accumulate(k, plan, -1f, g, false, gb);
                    break;
                case MUL:
                    if (same) {
                        if (ga != null) {
                            k.mulAdd(g, 0, b.data(), 0, ga, 0, ga.length);
                        }
                        if (gb != null) {
                            k.mulAdd(g, 0, a.data(), 0, gb, 0, gb.length);
                        }
                    } else {
                        if (ga != null) {
                            accumulate(k, plan, 1f, times(k, BinaryOp.MUL, g, outShape, b), true, ga);
                        }
                        if (gb != null) {
                            accumulate(k, plan, 1f, times(k, BinaryOp.MUL, g, outShape, a), false, gb);
                        }
                    }
                    break;
                default:
                    if (ga != null) {
                        accumulate(k, plan, 1f, times(k, BinaryOp.DIV, g, outShape, b), true, ga);
                    }
                    if (gb != null) {
                        float[] gy = new float[g.length];
                        k.binary(BinaryOp.MUL, g, 0, y, 0, gy, 0, g.length);
                        accumulate(k, plan, -1f, times(k, BinaryOp.DIV, gy, outShape, b), false, gb);
                    }
                    break;
            }
        }, a, b);
    }

    /** {@code g op t}, with {@code g} in the output shape and {@code t} broadcast to it. */
    private static float[] times(ElementwiseKernel k, BinaryOp op, float[] g, int[] outShape, Tensor t) {
        float[] r = new float[g.length];
        if (t.size() == g.length) {
            k.binary(op, g, 0, t.data(), 0, r, 0, g.length);
        } else {
            Broadcast.plan(outShape, outShape, t.shape()).apply(k, op, g, t.data(), r);
        }
        return r;
    }

    /** Adds {@code alpha * g}, reduced to one operand's shape, into its gradient (skipped when it has none). */
    private static void accumulate(ElementwiseKernel k, Broadcast plan, float alpha, float[] g, boolean first,
                                   float[] target) {
        if (target == null) {
            return;
        }
        if (target.length == g.length) {
            k.axpy(alpha, g, 0, target, 0, g.length);
        } else {
            plan.reduceInto(k, alpha, g, first, target);
        }
    }
}
