package dev.recur.core.io;

/**
 * Conversions between float32 and the two 16-bit float formats of checkpoints: IEEE 754 binary16 (F16: 1 sign,
 * 5 exponent, 10 mantissa bits) and bfloat16 (BF16: the top 16 bits of a float32). Narrowing rounds to nearest,
 * ties to even; subnormals, infinities, signed zeros and NaN payloads (where they fit) are kept.
 */
public final class HalfFloats {
    private HalfFloats() {}

    /** The float32 value of a binary16 bit pattern (exact: every half is a float). */
    public static float f16ToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            // Infinity (mant 0) or NaN: widen the payload into the top mantissa bits.
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            // Zero or subnormal: mant * 2^-24, exact in float.
            float magnitude = mant * 0x1p-24f;
            return sign != 0 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /** The nearest binary16 to {@code value} (ties to even); overflow gives infinity. */
    public static short floatToF16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs >= 0x7f800000) {
            if (abs == 0x7f800000) {
                return (short) (sign | 0x7c00);
            }
            int payload = (abs >>> 13) & 0x3ff;
            // A NaN whose payload lives only in the low 13 bits must stay a NaN.
            return (short) (sign | 0x7c00 | (payload == 0 ? 0x200 : payload));
        }
        // 65520 = halfway between the largest half (65504) and 2^16; ties to even round it up to infinity.
        if (abs >= 0x477ff000) {
            return (short) (sign | 0x7c00);
        }
        if (abs < 0x38800000) {
            // Below 2^-14 the result is subnormal: round |value| * 2^24 to an integer (exact in double).
            int mant = (int) Math.rint(Float.intBitsToFloat(abs) * 0x1p24);
            return (short) (sign | mant);
        }
        int exp = (abs >>> 23) - 127 + 15;
        int mant = abs & 0x7fffff;
        int half = (exp << 10) | (mant >>> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
            half++;
        }
        return (short) (sign | half);
    }

    /** The float32 value of a bfloat16 bit pattern (exact). */
    public static float bf16ToFloat(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xffff) << 16);
    }

    /** The nearest bfloat16 to {@code value} (ties to even); overflow gives infinity. */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7fffffff) > 0x7f800000) {
            int top = bits >>> 16;
            // A NaN whose payload lives only in the low 16 bits must stay a NaN.
            return (short) ((top & 0x7f) == 0 ? top | 0x40 : top);
        }
        int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }
}
