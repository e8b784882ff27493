package dev.recur.layers.hybrid.bamba;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.layers.testing.CausalLmParity;
import dev.recur.layers.testing.TestTensors;
import org.junit.jupiter.api.Test;

/**
 * The recurrent paths agree with the whole-sequence forward: chunked prefill with the Mamba-2 states and the
 * growing key/value caches passed across (split points inside and on the scan's chunk boundaries and inside the
 * convolution's window), a token-by-token loop, each batch row alone, and a state that went through its byte
 * form mid-sequence; gradients through chunks equal those of one forward.
 */
class BambaStepTest {
    private static final BambaConfig CONFIG = BambaTestModels.small();
    private final BambaModel model = BambaTestModels.random(CONFIG, 5);
    private final CausalLmParity parity = new CausalLmParity("Bamba", model, 1e-4);

    @Test
    void chunkedPrefillEqualsOneForward() {
        parity.chunkedPrefill(TestTensors.ids(1, CONFIG.vocabSize(), 2, 37), new int[] {1}, new int[] {2, 3},
                new int[] {5, 17}, new int[] {36}, new int[] {1, 2, 3, 20, 30}, new int[] {6, 9, 12});
    }

    @Test
    void tokenLoopEqualsOneForward() {
        assertThat(parity.tokenByToken(TestTensors.ids(2, CONFIG.vocabSize(), 2, 130)).state()
                .tensor(BambaState.keys(1)).shape()).containsExactly(2, 2, 130, 4);
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
        parity.gradientsThroughChunks(BambaTestModels.copy(CONFIG, model.parameters()),
                TestTensors.ids(6, CONFIG.vocabSize(), 2, 16), 7);
    }
}
