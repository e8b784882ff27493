package dev.recur.layers.hybrid.jamba;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.IntTensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.LmState;
import dev.recur.layers.testing.CausalLmParity;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming parity of a random Jamba LM (Mamba and attention layers, mixtures of experts): the forward over a
 * whole sequence equals a prefill split at several points with the state passed across, a token-by-token loop and
 * a prefill followed by tokens (logits and final state), also at T = 4096; a batch equals its rows run alone; a
 * state serialised to bytes mid-sequence continues identically.
 */
class JambaStepTest {
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
        model = JambaTestModels.load(dir.resolve("jamba"), 7, false);
        ids = JambaTestModels.ids(11, BATCH, STEPS);
        parity = new CausalLmParity("Jamba", model, TOLERANCE);
    }

    @Test
    void stateHoldsMambaTensorsAndAGrowingKvCachePerLayer() {
        LmState s;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            s = model.forward(ids, null).state();
        }
        assertThat(s.tensors().keySet()).containsExactly("layers.0.conv", "layers.0.ssm", "layers.1.keys",
                "layers.1.values", "layers.2.conv", "layers.2.ssm", "layers.3.conv", "layers.3.ssm",
                "layers.4.keys", "layers.4.values");
        assertThat(s.tensor("layers.2.conv").shape())
                .containsExactly(BATCH, JambaTestModels.KERNEL - 1, JambaTestModels.INNER);
        assertThat(s.tensor("layers.3.ssm").shape())
                .containsExactly(BATCH, JambaTestModels.INNER, JambaTestModels.STATE);
        assertThat(s.tensor("layers.4.keys").shape())
                .containsExactly(BATCH, JambaTestModels.KV_HEADS, STEPS, JambaTestModels.HEAD_DIM);
        assertThat(model.initialState(BATCH).tensor("layers.1.values").shape())
                .containsExactly(BATCH, JambaTestModels.KV_HEADS, 0, JambaTestModels.HEAD_DIM);
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
        parity.prefillThenTokens(JambaTestModels.ids(5, 1, 4096), 1000, 2049, 4050);
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
