package dev.recur.layers.ssm.mamba2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.layers.testing.CausalLmParity;
import dev.recur.layers.testing.TestTensors;
import org.junit.jupiter.api.Test;

/**
 * The recurrent paths agree with the whole-sequence forward: chunked prefill with the convolution and SSM
 * states passed across (split points inside and on the scan's chunk boundaries, and inside the convolution's
 * window), a token-by-token loop (also at T = 4096), each batch row alone, and a state that went through its
 * byte form mid-sequence; gradients through chunks equal those of one forward.
 */
class Mamba2StepTest {
    private static final Mamba2Config CONFIG = Mamba2TestModels.small(true, 0.0, Double.POSITIVE_INFINITY, false);
    private final Mamba2Model model = Mamba2TestModels.random(CONFIG, 5);
    private final CausalLmParity parity = new CausalLmParity("Mamba-2", model, 1e-4);

    @Test
    void chunkedPrefillEqualsOneForward() {
        parity.chunkedPrefill(TestTensors.ids(1, CONFIG.vocabSize(), 2, 37), new int[] {1}, new int[] {2, 3},
                new int[] {5, 17}, new int[] {36}, new int[] {1, 2, 3, 20, 30}, new int[] {6, 9, 12});
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
        parity.gradientsThroughChunks(Mamba2TestModels.copy(CONFIG, model.parameters()),
                TestTensors.ids(6, CONFIG.vocabSize(), 2, 16), 7);
    }
}
