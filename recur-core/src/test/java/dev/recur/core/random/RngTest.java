package dev.recur.core.random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

/** The seeded generator family: reproducible streams, independent derived streams, a sane normal sampler. */
class RngTest {
    private static long[] draw(Rng rng, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = rng.nextLong();
        }
        return out;
    }

    @Test
    void sameSeedGivesTheSameStream() {
        assertThat(draw(new Rng(123), 100)).containsExactly(draw(new Rng(123), 100));
        assertThat(draw(new Rng(123), 100)).isNotEqualTo(draw(new Rng(124), 100));
    }

    @Test
    void derivedStreamsDependOnTheSeedAndStreamNumberOnly() {
        Rng fresh = new Rng(7);
        Rng used = new Rng(7);
        draw(used, 1000);
        used.split();
        assertThat(draw(fresh.derive(3), 50)).containsExactly(draw(used.derive(3), 50));
        assertThat(draw(fresh.derive(3), 50)).isNotEqualTo(draw(fresh.derive(4), 50));
    }

    @Test
    void splitsAreReproducibleAndDistinctFromTheParent() {
        Rng a = new Rng(99);
        Rng b = new Rng(99);
        assertThat(draw(a.split(), 20)).containsExactly(draw(b.split(), 20));
        assertThat(draw(a.split(), 20)).isNotEqualTo(draw(new Rng(99), 20));
    }

    @Test
    void gaussianHasMeanZeroAndUnitVariance() {
        Rng rng = new Rng(5);
        int n = 200_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double g = rng.nextGaussian();
            sum += g;
            sumSq += g * g;
        }
        assertThat(sum / n).isCloseTo(0, offset(0.01));
        assertThat(sumSq / n).isCloseTo(1, offset(0.02));
    }

    @Test
    void boundedIntsStayInRange() {
        Rng rng = new Rng(1);
        for (int i = 0; i < 10_000; i++) {
            assertThat(rng.nextInt(17)).isBetween(0, 16);
            assertThat(rng.nextDouble()).isGreaterThanOrEqualTo(0).isLessThan(1);
        }
    }
}
