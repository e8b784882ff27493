package dev.recur.core.kernel.elementwise;

/**
 * Scalar float32 transcendental functions written with the exact formulas that {@link ElementwiseVector}
 * evaluates lane by lane, so that the scalar reference and the SIMD kernels agree bit for bit.
 *
 * <p>{@link #exp}: Cody-Waite range reduction {@code x = n ln2 + r}, {@code |r| <= ln2/2}, a degree-7 minimax
 * polynomial for {@code e^r} (the Cephes {@code expf} coefficients), Horner with fused multiply-adds, and a
 * scale by {@code 2^n} built from exponent bits in two halves so that subnormal results round once. Measured
 * against {@code Math.exp} in double over {@code [-87, 88.72]} (normal results, 2M points): at most 1.001 ulp;
 * subnormal results are within one subnormal step. Inputs are clamped to {@code [-104, 89]}: beyond them the
 * result is 0 or infinity anyway; NaN stays NaN.
 *
 * <p>{@link #tanh}: for {@code |x| < 0.625} an odd polynomial {@code x + x^3 P(x^2)} (Cephes {@code tanhf}),
 * otherwise {@code 1 - 2 / (e^{2|x|} + 1)} with the sign restored: at most 1.27 ulp from {@code Math.tanh}
 * over {@code [-12, 12]}. {@link #sigmoid} and {@link #silu}: at most 1.96 ulp from their double formulas.
 * {@code ElementwiseKernelTest} asserts these bounds with a margin.
 */
public final class FloatMath {
    static final float EXP_MIN = -104f;
    static final float EXP_MAX = 89f;
    static final float LOG2E = 1.44269504088896341f;
    /** {@code 1.5 * 2^23}: adding it rounds a float of magnitude below {@code 2^22} to the nearest integer. */
    static final float ROUND_MAGIC = 12582912f;
    static final int ROUND_MAGIC_BITS = 0x4B400000;
    /** {@code ln 2} split so that {@code n * LN2_HI} is exact for the |n| that occur. */
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    static final float EXP_P0 = 1.9875691500e-4f;
    static final float EXP_P1 = 1.3981999507e-3f;
    static final float EXP_P2 = 8.3334519073e-3f;
    static final float EXP_P3 = 4.1665795894e-2f;
    static final float EXP_P4 = 1.6666665459e-1f;
    static final float EXP_P5 = 5.0000001201e-1f;

    static final float TANH_SMALL = 0.625f;
    static final float TANH_P0 = -5.70498872745e-3f;
    static final float TANH_P1 = 2.06390887954e-2f;
    static final float TANH_P2 = -5.37397613982e-2f;
    static final float TANH_P3 = 1.33314422036e-1f;
    static final float TANH_P4 = -3.33332819422e-1f;

    private FloatMath() {}

    /** {@code e^x} in float32 (see the class comment for the method and its accuracy). */
    public static float exp(float x) {
        float xc = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
        float t = Math.fma(xc, LOG2E, ROUND_MAGIC);
        int n = Float.floatToRawIntBits(t) - ROUND_MAGIC_BITS;
        float nf = t - ROUND_MAGIC;
        float r = Math.fma(nf, -LN2_HI, xc);
        r = Math.fma(nf, -LN2_LO, r);
        float p = Math.fma(EXP_P0, r, EXP_P1);
        p = Math.fma(p, r, EXP_P2);
        p = Math.fma(p, r, EXP_P3);
        p = Math.fma(p, r, EXP_P4);
        p = Math.fma(p, r, EXP_P5);
        float y = Math.fma(p, r * r, r) + 1f;
        int n1 = n >> 1;
        int n2 = n - n1;
        return y * Float.intBitsToFloat((n1 + 127) << 23) * Float.intBitsToFloat((n2 + 127) << 23);
    }

    /** {@code tanh(x)} in float32 (see the class comment). */
    public static float tanh(float x) {
        float a = Math.abs(x);
        float t;
        if (a < TANH_SMALL) {
            float z = x * x;
            float p = Math.fma(TANH_P0, z, TANH_P1);
            p = Math.fma(p, z, TANH_P2);
            p = Math.fma(p, z, TANH_P3);
            p = Math.fma(p, z, TANH_P4);
            t = Math.fma(p * z, x, x);
        } else {
            float e = exp(a + a);
            t = 1f - 2f / (e + 1f);
        }
        // Both branches already carry the sign of x except at -0, which the polynomial turns into +0.
        return Math.copySign(t, x);
    }

    /** The logistic function {@code 1 / (1 + e^{-x})}. */
    public static float sigmoid(float x) {
        return 1f / (1f + exp(-x));
    }

    /** SiLU (swish) {@code x * sigmoid(x)}, computed as {@code x / (1 + e^{-x})}. */
    public static float silu(float x) {
        return x / (1f + exp(-x));
    }

    /**
     * {@code log(1 + e^x)} in double, for softplus: {@code Math.log1p} is not intrinsified on JDK 17 (tens of
     * nanoseconds a call) while {@code exp} and {@code log} are, so it uses Goldberg's identity
     * {@code log1p(e) = log(u) * e / (u - 1)} with {@code u = 1 + e}, accurate to a few double ulps for every
     * {@code e}, so that rounding to float gives {@code log1p}'s result but in ties. Returns {@code x} itself
     * above 36, where the two agree to double precision.
     */
    public static double log1pExp(double x) {
        if (x > 36) {
            return x;
        }
        double e = Math.exp(x);
        double u = 1.0 + e;
        return u == 1.0 ? e : Math.log(u) * (e / (u - 1.0));
    }
}
