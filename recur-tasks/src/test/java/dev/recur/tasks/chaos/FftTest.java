package dev.recur.tasks.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.recur.core.RecurException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FftTest {
    @Test
    void forwardEqualsTheDirectSumAndInverseUndoesIt() {
        SplittableRandom r = new SplittableRandom(3);
        for (int n : new int[] {1, 2, 8, 64, 256}) {
            double[] re = new double[n];
            double[] im = new double[n];
            for (int i = 0; i < n; i++) {
                re[i] = r.nextDouble(-1, 1);
                im[i] = r.nextDouble(-1, 1);
            }
            double[] fr = re.clone();
            double[] fi = im.clone();
            Fft fft = new Fft(n);
            fft.forward(fr, fi);
            for (int k = 0; k < n; k++) {
                double sr = 0;
                double si = 0;
                for (int j = 0; j < n; j++) {
                    double a = -2 * Math.PI * ((long) j * k % n) / n;
                    sr += re[j] * Math.cos(a) - im[j] * Math.sin(a);
                    si += re[j] * Math.sin(a) + im[j] * Math.cos(a);
                }
                assertThat(fr[k]).as("n %d re %d", n, k).isCloseTo(sr, within(1e-11 * n));
                assertThat(fi[k]).as("n %d im %d", n, k).isCloseTo(si, within(1e-11 * n));
            }
            fft.inverse(fr, fi);
            for (int i = 0; i < n; i++) {
                assertThat(fr[i]).isCloseTo(re[i], within(1e-13 * n));
                assertThat(fi[i]).isCloseTo(im[i], within(1e-13 * n));
            }
        }
    }

    @Test
    void rejectsOtherLengths() {
        assertThatThrownBy(() -> new Fft(48)).isInstanceOf(RecurException.class).hasMessageContaining("got 48");
        assertThatThrownBy(() -> new Fft(8).forward(new double[4], new double[8]))
                .isInstanceOf(RecurException.class).hasMessageContaining("length 8");
    }
}
