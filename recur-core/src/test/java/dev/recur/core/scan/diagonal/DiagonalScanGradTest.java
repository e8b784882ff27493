package dev.recur.core.scan.diagonal;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.RecurException;
import dev.recur.core.kernel.KernelMode;
import dev.recur.core.scan.ScanTesting;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.api.Test;

/** The diagonal scan's hand-written backward against central differences of a double-precision twin. */
class DiagonalScanGradTest {
    /** h_t = a_t h_{t-1} + b_t in double; returns h [B,T,D] followed by hT [B,D]. */
    static double[] twin(double[] a, double[] b, double[] h0, int batch, int seqLen, int channels) {
        double[] h = new double[a.length];
        double[] hT = new double[batch * channels];
        for (int bi = 0; bi < batch; bi++) {
            for (int c = 0; c < channels; c++) {
                double s = h0 == null ? 0 : h0[bi * channels + c];
                for (int t = 0; t < seqLen; t++) {
                    int i = (bi * seqLen + t) * channels + c;
                    s = a[i] * s + b[i];
                    h[i] = s;
                }
                hT[bi * channels + c] = s;
            }
        }
        return ScanTesting.concat(h, hT);
    }

    private static void check(DiagonalScanKernel kernel, String name, int batch, int seqLen, int channels) {
        GradCheck.of(name + " with h0").check(
                x -> {
                    ScanOutput out = DiagonalScan.apply(kernel, x[0], x[1], x[2]);
                    return ScanTesting.concat(out.output(), out.state());
                },
                d -> twin(d[0], d[1], d[2], batch, seqLen, channels),
                in(-1.0, 1.0, batch, seqLen, channels), in(batch, seqLen, channels), in(batch, channels));
        GradCheck.of(name + " from zero").check(
                x -> DiagonalScan.apply(kernel, x[0], x[1], null).output(),
                d -> {
                    double[] all = twin(d[0], d[1], null, batch, seqLen, channels);
                    return java.util.Arrays.copyOf(all, batch * seqLen * channels);
                },
                in(-1.0, 1.0, batch, seqLen, channels), in(batch, seqLen, channels));
    }

    @Test
    void referenceBackwardMatchesFiniteDifferences() {
        check(DiagonalScan.kernel(KernelMode.REFERENCE), "reference", 2, 9, 5);
    }

    @Test
    void vectorBackwardMatchesFiniteDifferences() {
        check(new DiagonalScanVector(), "vector", 2, 9, 21);
    }

    @Test
    void chunkedVectorBackwardMatchesFiniteDifferences() {
        check(new DiagonalScanVector(4), "vector, chunks of 4", 2, 13, 3);
    }

    @Test
    void finalStateAloneCarriesItsGradientToEveryInput() {
        GradCheck.of("hT only").check(
                x -> DiagonalScan.apply(x[0], x[1], x[2]).state(),
                d -> {
                    double[] all = twin(d[0], d[1], d[2], 1, 6, 4);
                    return java.util.Arrays.copyOfRange(all, 6 * 4, all.length);
                },
                in(-1.0, 1.0, 1, 6, 4), in(1, 6, 4), in(1, 4));
    }

    @Test
    void badShapesNameTheOpTheArgumentAndBothShapes() {
        assertThatThrownBy(() -> DiagonalScan.apply(Tensor.zeros(2, 3, 4), Tensor.zeros(2, 3, 5), null))
                .isInstanceOf(RecurException.class)
                .hasMessageContaining("diagonalScan").hasMessageContaining("b")
                .hasMessageContaining("[2, 3, 4]").hasMessageContaining("[2, 3, 5]");
        assertThatThrownBy(() -> DiagonalScan.apply(Tensor.zeros(2, 3, 4), Tensor.zeros(2, 3, 4), Tensor.zeros(4)))
                .isInstanceOf(RecurException.class)
                .hasMessageContaining("h0").hasMessageContaining("[2, 4]").hasMessageContaining("[4]");
        assertThatThrownBy(() -> DiagonalScan.apply(Tensor.zeros(3, 4), Tensor.zeros(3, 4), null))
                .isInstanceOf(RecurException.class)
                .hasMessageContaining("rank 3").hasMessageContaining("[3, 4]");
    }
}
