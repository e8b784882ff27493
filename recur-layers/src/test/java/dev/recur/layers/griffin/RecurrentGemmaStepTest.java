package dev.recur.layers.griffin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.layers.testing.CausalLmParity;
import dev.recur.layers.testing.TestTensors;
import org.junit.jupiter.api.Test;

/**
 * The recurrent paths agree with the whole-sequence forward, on sequences several times longer than the attention
 * window (5): chunked prefill with the state passed across (split points before, at and after the window's
 * length), a token-by-token loop (also at T = 4096), each batch row alone, and a state that went through its byte
 * form mid-sequence; gradients through chunks equal those of one forward.
 */
class RecurrentGemmaStepTest {
    private static final RecurrentGemmaConfig CONFIG = RecurrentGemmaTestModels.small();
    private final RecurrentGemmaModel model = RecurrentGemmaTestModels.random(CONFIG, 5);
    private final CausalLmParity parity = new CausalLmParity("RecurrentGemma", model, 1e-4);

    @Test
    void chunkedPrefillEqualsOneForward() {
        parity.chunkedPrefill(TestTensors.ids(1, CONFIG.vocabSize(), 2, 37),
                new int[] {1}, new int[] {4}, new int[] {5}, new int[] {6}, new int[] {5, 17}, new int[] {36},
                new int[] {1, 2, 3, 20, 30}, new int[] {9, 10, 11, 12});
    }

    @Test
    void tokenLoopEqualsOneForward() {
        parity.tokenByToken(TestTensors.ids(2, CONFIG.vocabSize(), 2, 50));
    }

    @Test
    void tokenLoopEqualsOneForwardOverLongSequence() {
        assertThat(parity.tokenByToken(TestTensors.ids(3, CONFIG.vocabSize(), 1, 4096)).state().position())
                .isEqualTo(4096);
    }

    @Test
    void eachBatchRowAloneGivesTheSameLogits() {
        parity.eachRowAlone(TestTensors.ids(4, CONFIG.vocabSize(), 3, 19));
    }

    @Test
    void stateBytesRoundTripContinuesTheSame() {
        parity.stateBytesRoundTrip(TestTensors.ids(5, CONFIG.vocabSize(), 2, 24), 11);
    }

    @Test
    void gradientsThroughChunksEqualOneForward() {
        parity.gradientsThroughChunks(RecurrentGemmaTestModels.copy(CONFIG, model.parameters()),
                TestTensors.ids(6, CONFIG.vocabSize(), 2, 16), 7);
    }
}
