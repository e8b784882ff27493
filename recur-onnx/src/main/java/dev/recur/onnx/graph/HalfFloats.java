package dev.recur.onnx.graph;

/** IEEE 754 half precision (binary16) to float32, for ONNX's FLOAT16 tensors. */
final class HalfFloats {
    private HalfFloats() {}

    /** The float32 with the same value as the 16 bits {@code bits} (sign, 5 exponent bits, 10 fraction bits). */
    static float toFloat(int bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int fraction = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (fraction << 13));
        }
        if (exponent == 0) {
            // Subnormal (or zero): fraction * 2^-24.
            float magnitude = fraction * 0x1p-24f;
            return sign != 0 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (fraction << 13));
    }
}
