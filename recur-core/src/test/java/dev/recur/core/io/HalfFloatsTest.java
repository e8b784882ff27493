package dev.recur.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * F16/BF16 conversions against closed-form values, an exhaustive round trip over all 65536 bit patterns, and
 * float-to-half rounding against a brute-force nearest-value search in double precision.
 */
class HalfFloatsTest {
    /** The value of a binary16 pattern from its definition, in double. */
    private static double f16Definition(int h) {
        int sign = (h >>> 15) == 0 ? 1 : -1;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return mant == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        }
        if (exp == 0) {
            return sign * mant * Math.pow(2, -24);
        }
        return sign * (1 + mant / 1024.0) * Math.pow(2, exp - 15);
    }

    @Test
    void f16ClosedFormValues() {
        assertThat(HalfFloats.f16ToFloat((short) 0x3c00)).isEqualTo(1f);
        assertThat(HalfFloats.f16ToFloat((short) 0xc000)).isEqualTo(-2f);
        assertThat(HalfFloats.f16ToFloat((short) 0x7bff)).isEqualTo(65504f);
        assertThat(HalfFloats.f16ToFloat((short) 0x0001)).isEqualTo((float) Math.pow(2, -24));
        assertThat(HalfFloats.f16ToFloat((short) 0x03ff)).isEqualTo((float) (1023 * Math.pow(2, -24)));
        assertThat(HalfFloats.f16ToFloat((short) 0x0400)).isEqualTo((float) Math.pow(2, -14));
        assertThat(HalfFloats.f16ToFloat((short) 0x3555)).isEqualTo(0.333251953125f);
        assertThat(HalfFloats.f16ToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(HalfFloats.f16ToFloat((short) 0xfc00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(Float.floatToRawIntBits(HalfFloats.f16ToFloat((short) 0x8000))).isEqualTo(0x80000000);
        assertThat(HalfFloats.f16ToFloat((short) 0x7e00)).isNaN();

        assertThat(HalfFloats.floatToF16(65504f)).isEqualTo((short) 0x7bff);
        assertThat(HalfFloats.floatToF16(65519.99f)).isEqualTo((short) 0x7bff);
        assertThat(HalfFloats.floatToF16(65520f)).isEqualTo((short) 0x7c00);
        assertThat(HalfFloats.floatToF16(-1e10f)).isEqualTo((short) 0xfc00);
        assertThat(HalfFloats.floatToF16(1f + 0x1p-11f)).isEqualTo((short) 0x3c00);
        assertThat(HalfFloats.floatToF16(1f + 3 * 0x1p-11f)).isEqualTo((short) 0x3c02);
        assertThat(HalfFloats.floatToF16(0x1p-25f)).isEqualTo((short) 0x0000);
        assertThat(HalfFloats.floatToF16(0x1.0002p-25f)).isEqualTo((short) 0x0001);
        assertThat(HalfFloats.floatToF16(3 * 0x1p-25f)).isEqualTo((short) 0x0002);
        assertThat(HalfFloats.floatToF16(-0f)).isEqualTo((short) 0x8000);
        assertThat(HalfFloats.floatToF16(Float.NaN) & 0x7c00).isEqualTo(0x7c00);
        assertThat(HalfFloats.floatToF16(Float.NaN) & 0x3ff).isNotZero();
        // A NaN whose payload sits only in the low 13 bits still becomes a NaN, not infinity.
        assertThat(HalfFloats.floatToF16(Float.intBitsToFloat(0x7f800001)) & 0x3ff).isNotZero();
    }

    @Test
    void bf16ClosedFormValues() {
        assertThat(HalfFloats.bf16ToFloat((short) 0x3f80)).isEqualTo(1f);
        assertThat(HalfFloats.bf16ToFloat((short) 0xc040)).isEqualTo(-3f);
        assertThat(HalfFloats.bf16ToFloat((short) 0x0001)).isEqualTo(Float.intBitsToFloat(0x00010000));
        assertThat(HalfFloats.floatToBf16(1f + 0x1p-8f)).isEqualTo((short) 0x3f80);
        assertThat(HalfFloats.floatToBf16(1f + 3 * 0x1p-8f)).isEqualTo((short) 0x3f82);
        assertThat(HalfFloats.floatToBf16(1f + 0x1.02p-8f)).isEqualTo((short) 0x3f81);
        assertThat(HalfFloats.floatToBf16(Float.MAX_VALUE)).isEqualTo((short) 0x7f80);
        assertThat(HalfFloats.floatToBf16(-Float.MAX_VALUE)).isEqualTo((short) 0xff80);
        assertThat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x7f800001)) & 0x7f).isNotZero();
    }

    @Test
    void everyF16PatternMatchesItsDefinitionAndRoundTrips() {
        for (int h = 0; h < 65536; h++) {
            float f = HalfFloats.f16ToFloat((short) h);
            double expected = f16Definition(h);
            if (Double.isNaN(expected)) {
                assertThat(f).as("pattern %04x", h).isNaN();
            } else {
                assertThat((double) f).as("pattern %04x", h).isEqualTo(expected);
            }
            assertThat(HalfFloats.floatToF16(f) & 0xffff).as("round trip of %04x", h).isEqualTo(h);
        }
    }

    @Test
    void everyBf16PatternRoundTrips() {
        for (int h = 0; h < 65536; h++) {
            float f = HalfFloats.bf16ToFloat((short) h);
            assertThat(Float.floatToRawIntBits(f)).isEqualTo(h << 16);
            assertThat(HalfFloats.floatToBf16(f) & 0xffff).as("round trip of %04x", h).isEqualTo(h);
        }
    }

    @Test
    void floatToF16RoundsToTheNearestHalfTiesToEven() {
        // Finite non-negative halves in increasing order: patterns 0x0000..0x7bff.
        double[] halves = new double[0x7c00];
        for (int h = 0; h < halves.length; h++) {
            halves[h] = f16Definition(h);
        }
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            // Bias towards the half range, including subnormals and just past the largest half.
            float f = Float.intBitsToFloat(0x33000000 + rng.nextInt(0x47800000 - 0x33000000));
            int expected = nearestHalf(halves, f);
            assertThat(HalfFloats.floatToF16(f) & 0xffff).as("%s", f).isEqualTo(expected);
            assertThat(HalfFloats.floatToF16(-f) & 0xffff).as("%s", -f).isEqualTo(expected | 0x8000);
        }
    }

    private static int nearestHalf(double[] halves, float f) {
        double x = f;
        int lo = 0;
        int hi = halves.length - 1;
        if (x >= 65520) {
            return 0x7c00;
        }
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (halves[mid] <= x) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        if (lo == halves.length - 1) {
            return lo;
        }
        double below = x - halves[lo];
        double above = halves[lo + 1] - x;
        if (below < above) {
            return lo;
        }
        if (above < below) {
            return lo + 1;
        }
        return (lo & 1) == 0 ? lo : lo + 1;
    }

    @Test
    void floatToBf16RoundsToTheNearestBf16TiesToEven() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int i = 0; i < 200_000; i++) {
            int bits = rng.nextInt(0x7f7fffff);
            float f = Float.intBitsToFloat(bits);
            int lo = bits >>> 16;
            double below = (double) f - Float.intBitsToFloat(lo << 16);
            // Past the largest finite bf16, IEEE rounding compares against 2^128 as if the exponent went on.
            double next = lo + 1 == 0x7f80 ? 0x1p128 : Float.intBitsToFloat((lo + 1) << 16);
            double above = next - f;
            int expected = below < above ? lo : above < below ? lo + 1 : (lo & 1) == 0 ? lo : lo + 1;
            assertThat(HalfFloats.floatToBf16(f) & 0xffff).as("%s", f).isEqualTo(expected);
        }
    }
}
