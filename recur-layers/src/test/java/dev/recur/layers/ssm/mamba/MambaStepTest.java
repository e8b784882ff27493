package dev.recur.layers.ssm.mamba;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.IntTensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.LmState;
import dev.recur.layers.testing.CausalLmParity;
import dev.recur.layers.testing.TestTensors;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming parity of a random Mamba LM: the forward over a whole sequence equals a prefill split at several
 * points with the state passed across, and a token-by-token loop (logits and final state), also at T = 4096;
 * a batch equals its rows run alone; a state serialised to bytes mid-sequence continues identically.
 */
class MambaStepTest {
    private static final int BATCH = 3;
    private static final int STEPS = 29;
    private static final double TOLERANCE = 1e-4;

    @TempDir
    static Path dir;
    private static CausalLm model;
    private static IntTensor ids;
    private static CausalLmParity parity;

    @BeforeAll
    static void setUp() throws Exception {
        model = MambaCheckpoints.load(dir.resolve("mamba"), "mamba", 7);
        ids = randomIds(new Rng(11), BATCH, STEPS);
        parity = new CausalLmParity("Mamba", model, TOLERANCE);
    }

    static IntTensor randomIds(Rng rng, int batch, int steps) {
        int[] v = new int[batch * steps];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextInt(MambaCheckpoints.VOCAB);
        }
        return IntTensor.of(v, batch, steps);
    }

    static double relativeError(float[] a, float[] b) {
        return TestTensors.relativeError(a, b);
    }

    @Test
    void stateHoldsConvAndSsmTensorsPerLayer() {
        LmState s;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            s = model.forward(ids, null).state();
        }
        assertThat(s.tensors().keySet()).containsExactly("layers.0.conv", "layers.0.ssm", "layers.1.conv",
                "layers.1.ssm");
        assertThat(s.tensor("layers.1.conv").shape())
                .containsExactly(BATCH, MambaCheckpoints.KERNEL - 1, MambaCheckpoints.INNER);
        assertThat(s.tensor("layers.0.ssm").shape())
                .containsExactly(BATCH, MambaCheckpoints.INNER, MambaCheckpoints.STATE);
    }

    @Test
    void chunkedPrefillEqualsOnePiece() {
        parity.chunkedPrefill(ids, new int[] {1}, new int[] {2, 5, 17}, new int[] {STEPS - 1});
    }

    @Test
    void tokenByTokenEqualsOnePiece() {
        parity.tokenByToken(ids);
    }

    @Test
    void prefillThenTokensEqualsOnePiece() {
        parity.prefillThenTokens(ids, 10);
    }

    @Test
    void longSequenceInChunksThenTokensEqualsOnePiece() {
        parity.prefillThenTokens(randomIds(new Rng(5), 1, 4096), 1000, 2049, 4000);
    }

    @Test
    void eachRowAloneEqualsTheBatch() {
        parity.eachRowAlone(ids);
    }

    @Test
    void stateBytesRoundTripMidSequenceContinuesTheSame() {
        parity.stateBytesRoundTrip(ids, 13);
    }
}
