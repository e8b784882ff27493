package dev.recur.core.scan.selective;

import static dev.recur.core.scan.ScanTesting.assertClose;
import static dev.recur.core.scan.ScanTesting.uniform;

import dev.recur.core.random.Rng;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The vector selective scan against the scalar reference on awkward sizes: outputs, final state, every gradient. */
class SelectiveScanKernelTest {
    static Stream<Arguments> sizes() {
        return Stream.of(
                Arguments.of(1, 1, 7, 1, true), Arguments.of(2, 63, 7, 16, false), Arguments.of(2, 257, 7, 1, true),
                Arguments.of(1, 1, 500, 16, true), Arguments.of(2, 63, 500, 16, true),
                Arguments.of(1, 257, 500, 16, false), Arguments.of(2, 257, 40, 16, true),
                Arguments.of(2, 90, 33, 40, true), Arguments.of(1, 0, 20, 4, true));
    }

    @ParameterizedTest(name = "B={0} T={1} D={2} N={3} optional={4}")
    @MethodSource("sizes")
    void vectorKernelMatchesReference(int batch, int seqLen, int channels, int dState, boolean optional) {
        Rng rng = new Rng(1000L * seqLen + 10L * channels + dState);
        int btd = batch * seqLen * channels;
        int btn = batch * seqLen * dState;
        int bdn = batch * channels * dState;
        SelectiveScanInputs in = new SelectiveScanInputs(uniform(rng, btd, -1, 1), uniform(rng, btd, 0.01, 0.6),
                uniform(rng, channels * dState, -3, -0.05), uniform(rng, btn, -1, 1), uniform(rng, btn, -1, 1),
                optional ? uniform(rng, channels, -1, 1) : null, optional ? uniform(rng, bdn, -1, 1) : null,
                batch, seqLen, channels, dState);
        float[] gy = uniform(rng, btd, -1, 1);
        float[] ghT = optional ? uniform(rng, bdn, -1, 1) : null;
        String where = " B=" + batch + " T=" + seqLen + " D=" + channels + " N=" + dState;

        SelectiveScanKernel ref = new SelectiveScanReference();
        float[] yRef = new float[btd];
        float[] hRef = new float[bdn];
        float[] savedRef = ref.forward(in, yRef, hRef, true);
        SelectiveScanGrads gRef = SelectiveScanGrads.zerosFor(in);
        ref.backward(in, savedRef, gy, ghT, gRef);

        SelectiveScanKernel vec = new SelectiveScanVector();
        float[] yVec = new float[btd];
        float[] hVec = new float[bdn];
        float[] saved = vec.forward(in, yVec, hVec, true);
        SelectiveScanGrads gVec = SelectiveScanGrads.zerosFor(in);
        vec.backward(in, saved, gy, ghT, gVec);

        assertClose("y" + where, yRef, yVec, 1e-5);
        assertClose("hT" + where, hRef, hVec, 1e-5);
        assertClose("du" + where, gRef.u(), gVec.u(), 1e-5);
        assertClose("ddelta" + where, gRef.delta(), gVec.delta(), 1e-5);
        assertClose("dA" + where, gRef.a(), gVec.a(), 1e-5);
        assertClose("dB" + where, gRef.b(), gVec.b(), 1e-5);
        assertClose("dC" + where, gRef.c(), gVec.c(), 1e-5);
        if (optional) {
            assertClose("dD" + where, gRef.dSkip(), gVec.dSkip(), 1e-5);
            assertClose("dh0" + where, gRef.h0(), gVec.h0(), 1e-5);
        }

        // Without saved checkpoints the vector backward rebuilds them and must agree too.
        SelectiveScanGrads gNoSave = SelectiveScanGrads.zerosFor(in);
        vec.backward(in, null, gy, ghT, gNoSave);
        assertClose("dA without saved checkpoints" + where, gVec.a(), gNoSave.a(), 0);
    }
}
