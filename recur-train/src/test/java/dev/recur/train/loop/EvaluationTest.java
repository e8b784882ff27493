package dev.recur.train.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.IntTensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.NextTokenLoss;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EvaluationTest {
    static final byte[] TEXT = "Call me Ishmael. Some years ago, never mind how long precisely, having little money"
            .getBytes(StandardCharsets.UTF_8);

    /** The next-token loss of the whole text in one forward, in bits: the definition, by another code path. */
    static double oneForwardBits(CausalLm lm, byte[] text) {
        int[] ids = new int[text.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = text[i] & 0xff;
        }
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return NextTokenLoss.of(lm.forward(IntTensor.of(ids, 1, ids.length), null).logits(),
                    IntTensor.of(ids, 1, ids.length)).item() / Math.log(2);
        }
    }

    @Test
    void aDocumentReadInChunksScoresWhatOneForwardScores() {
        CausalLm lm = TinyRuns.lstm(6, 12, 4);
        double want = oneForwardBits(lm, TEXT);
        for (int chunk : new int[] {1, 7, 1024}) {
            Evaluation.Result r = Evaluation.documentBitsPerByte(lm, TEXT, chunk);
            assertThat(r.bytes()).isEqualTo(TEXT.length - 1);
            assertThat(r.bitsPerByte()).as("chunk %d", chunk).isCloseTo(want, within(1e-5));
        }
    }

    @Test
    void heldOutStreamsScoreEachSliceWithItsWholeContext() {
        CausalLm lm = TinyRuns.lstm(6, 12, 4);
        int half = TEXT.length / 2;
        byte[] first = java.util.Arrays.copyOfRange(TEXT, 0, half);
        byte[] second = java.util.Arrays.copyOfRange(TEXT, half, 2 * half);
        double want = (oneForwardBits(lm, first) + oneForwardBits(lm, second)) / 2;
        Evaluation.Result r = Evaluation.bitsPerByte(lm, TEXT, 2, 5);
        assertThat(r.bytes()).isEqualTo(2L * (half - 1));
        assertThat(r.bitsPerByte()).isCloseTo(want, within(1e-5));
    }

    @Test
    void aUniformModelCostsEightBitsPerByte() {
        float[] zeros = new float[256];
        assertThat(Evaluation.negativeLogLikelihood(zeros, 0, 256, 17) / Math.log(2)).isCloseTo(8.0, within(1e-12));
    }
}
