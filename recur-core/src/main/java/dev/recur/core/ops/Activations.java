package dev.recur.core.ops;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.elementwise.Elementwise;
import dev.recur.core.kernel.elementwise.ElementwiseKernel;
import dev.recur.core.kernel.elementwise.Erf;
import dev.recur.core.kernel.elementwise.FloatMath;
import dev.recur.core.tensor.Tensor;

/**
 * Elementwise nonlinearities. {@code exp}, {@code tanh}, {@code sigmoid} and {@code silu} run on the SIMD
 * kernels (within 1-2 ulp of the exact function, see {@link FloatMath}); the rest evaluate in double and round
 * once. Derivative rules are written from the saved output where that is cheaper (exp, tanh, sigmoid, sqrt).
 */
public final class Activations {
    private static final double SQRT_HALF = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;
    private static final float GELU_TANH_K = 0.7978845608028654f;
    private static final float GELU_TANH_C = 0.044715f;

    private Activations() {}

    /** {@code e^x}; derivative {@code y g}. */
    public static Tensor exp(Tensor x) {
        ElementwiseKernel k = Elementwise.kernel();
        float[] y = new float[x.size()];
        k.exp(x.data(), 0, y, 0, y.length);
        return Tensor.result("exp", y, x.shape(), g -> {
            float[] gx = x.gradBuffer();
            if (gx != null) {
                k.mulAdd(g, 0, y, 0, gx, 0, gx.length);
            }
        }, x);
    }

    /** Natural logarithm ({@code -inf} at 0, NaN below); derivative {@code g / x}. */
    public static Tensor log(Tensor x) {
        float[] xd = x.data();
        float[] y = new float[xd.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) Math.log(xd[i]);
        }
        return Tensor.result("log", y, x.shape(), g -> {
            float[] gx = x.gradBuffer();
            if (gx != null) {
                for (int i = 0; i < gx.length; i++) {
                    gx[i] += g[i] / xd[i];
                }
            }
        }, x);
    }

    /** Square root (correctly rounded); derivative {@code g / (2 y)}. */
    public static Tensor sqrt(Tensor x) {
        float[] xd = x.data();
        float[] y = new float[xd.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) Math.sqrt(xd[i]);
        }
        return Tensor.result("sqrt", y, x.shape(), g -> {
            float[] gx = x.gradBuffer();
            if (gx != null) {
                for (int i = 0; i < gx.length; i++) {
                    gx[i] += g[i] / (2f * y[i]);
                }
            }
        }, x);
    }

    /** Hyperbolic tangent; derivative {@code (1 - y^2) g}. */
    public static Tensor tanh(Tensor x) {
        ElementwiseKernel k = Elementwise.kernel();
        float[] y = new float[x.size()];
        k.tanh(x.data(), 0, y, 0, y.length);
        return Tensor.result("tanh", y, x.shape(), g -> {
            float[] gx = x.gradBuffer();
            if (gx != null) {
                k.tanhBackward(g, 0, y, 0, gx, 0, gx.length);
            }
        }, x);
    }

    /** Logistic sigmoid {@code 1 / (1 + e^{-x})}; derivative {@code y (1 - y) g}. */
    public static Tensor sigmoid(Tensor x) {
        ElementwiseKernel k = Elementwise.kernel();
        float[] y = new float[x.size()];
        k.sigmoid(x.data(), 0, y, 0, y.length);
        return Tensor.result("sigmoid", y, x.shape(), g -> {
            float[] gx = x.gradBuffer();
            if (gx != null) {
                k.sigmoidBackward(g, 0, y, 0, gx, 0, gx.length);
            }
        }, x);
    }

    /** SiLU / swish {@code x sigmoid(x)}; derivative {@code s (1 + x (1 - s)) g} with {@code s = sigmoid(x)}. */
    public static Tensor silu(Tensor x) {
        ElementwiseKernel k = Elementwise.kernel();
        float[] xd = x.data();
        float[] y = new float[xd.length];
        k.silu(xd, 0, y, 0, y.length);
        return Tensor.result("silu", y, x.shape(), g -> {
            float[] gx = x.gradBuffer();
            if (gx != null) {
                k.siluBackward(g, 0, xd, 0, gx, 0, gx.length);
            }
        }, x);
    }

    /** {@code max(x, 0)} (NaN stays NaN); derivative {@code g} where {@code x > 0}, else 0 (as PyTorch). */
    public static Tensor relu(Tensor x) {
        float[] xd = x.data();
        float[] y = new float[xd.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = xd[i] > 0f || Float.isNaN(xd[i]) ? xd[i] : 0f;
        }
        return Tensor.result("relu", y, x.shape(), g -> {
            float[] gx = x.gradBuffer();
            if (gx != null) {
                for (int i = 0; i < gx.length; i++) {
                    if (y[i] > 0f) {
                        gx[i] += g[i];
                    }
                }
            }
        }, x);
    }

    /** Softplus as PyTorch's default ({@code beta = 1}, {@code threshold = 20}). */
    public static Tensor softplus(Tensor x) {
        return softplus(x, 1f, 20f);
    }

    /**
     * Softplus {@code log(1 + e^{beta x}) / beta}, and {@code x} itself where {@code beta x > threshold} (PyTorch
     * semantics); derivative {@code sigmoid(beta x) g}, and {@code g} above the threshold.
     */
    public static Tensor softplus(Tensor x, float beta, float threshold) {
        if (!(beta > 0f) || Float.isInfinite(beta)) {
            throw new RecurException("softplus: expected a finite beta > 0, got " + beta);
        }
        float[] xd = x.data();
        float[] y = new float[xd.length];
        for (int i = 0; i < y.length; i++) {
            double bx = (double) beta * xd[i];
            y[i] = bx > threshold ? xd[i] : (float) (FloatMath.log1pExp(bx) / beta);
        }
        return Tensor.result("softplus", y, x.shape(), g -> {
            float[] gx = x.gradBuffer();
            if (gx != null) {
                for (int i = 0; i < gx.length; i++) {
                    double bx = (double) beta * xd[i];
                    gx[i] += bx > threshold ? g[i] : (float) (g[i] / (1.0 + Math.exp(-bx)));
                }
            }
        }, x);
    }

    /** GELU in PyTorch's default exact form {@code x Phi(x) = x/2 erfc(-x / sqrt 2)}. */
    public static Tensor gelu(Tensor x) {
        return gelu(x, "none");
    }

    /**
     * GELU with PyTorch's {@code approximate} argument: {@code "none"} (exact, via {@link Erf}) or
     * {@code "tanh"}: {@code x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}.
     */
    public static Tensor gelu(Tensor x, String approximate) {
        if ("none".equals(approximate)) {
            return geluExact(x);
        }
        if ("tanh".equals(approximate)) {
            return geluTanh(x);
        }
        throw new RecurException("gelu: approximate must be 'none' or 'tanh', got '" + approximate + "'");
    }

    private static Tensor geluExact(Tensor x) {
        float[] xd = x.data();
        float[] y = new float[xd.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (0.5 * xd[i] * Erf.erfc(-xd[i] * SQRT_HALF));
        }
        return Tensor.result("gelu", y, x.shape(), g -> {
            float[] gx = x.gradBuffer();
            if (gx != null) {
                for (int i = 0; i < gx.length; i++) {
                    double v = xd[i];
                    double cdf = 0.5 * Erf.erfc(-v * SQRT_HALF);
                    double pdf = INV_SQRT_2PI * Math.exp(-0.5 * v * v);
                    gx[i] += (float) (g[i] * (cdf + v * pdf));
                }
            }
        }, x);
    }

    private static Tensor geluTanh(Tensor x) {
        ElementwiseKernel k = Elementwise.kernel();
        float[] xd = x.data();
        int n = xd.length;
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            float v = xd[i];
            t[i] = GELU_TANH_K * Math.fma(GELU_TANH_C * v, v * v, v);
        }
        k.tanh(t, 0, t, 0, n);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = 0.5f * xd[i] * (1f + t[i]);
        }
        return Tensor.result("gelu", y, x.shape(), g -> {
            float[] gx = x.gradBuffer();
            if (gx != null) {
                for (int i = 0; i < n; i++) {
                    float v = xd[i];
                    float ti = t[i];
                    float du = GELU_TANH_K * Math.fma(3f * GELU_TANH_C * v, v, 1f);
                    float d = 0.5f * (1f + ti) + 0.5f * v * Math.fma(-ti, ti, 1f) * du;
                    gx[i] += g[i] * d;
                }
            }
        }, x);
    }
}
