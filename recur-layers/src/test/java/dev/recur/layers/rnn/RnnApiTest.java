package dev.recur.layers.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import java.util.Arrays;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The parts of PyTorch's recurrent API beyond the batch-first stack: projection names and shapes, time-major
 * layout, variable lengths (each row alone gives what the batch gives it), and the errors for bad lengths, bad
 * projection sizes and bad layouts, each naming the layer, the expected and the got.
 */
class RnnApiTest {
    @Test
    void projectionHasPyTorchsNamesShapesAndOrder() {
        RnnConfig cfg = RnnConfig.lstm(5, 7).withProjSize(3).withLayers(2).withBidirectional(true);
        RnnLayer layer = new RnnLayer(cfg, new Rng(1));
        assertThat(layer.parameters().keySet()).startsWith("weight_ih_l0", "weight_hh_l0", "bias_ih_l0",
                "bias_hh_l0", "weight_hr_l0", "weight_ih_l0_reverse").contains("weight_hr_l1_reverse").hasSize(20);
        assertThat(layer.parameter("weight_hh_l0").shape()).containsExactly(28, 3);
        assertThat(layer.parameter("weight_hr_l0_reverse").shape()).containsExactly(3, 7);
        assertThat(layer.parameter("weight_ih_l1").shape()).containsExactly(28, 6);
        assertThat(cfg.outputSize()).isEqualTo(6);
        RnnState zero = layer.initialState(2);
        assertThat(zero.h().shape()).containsExactly(4, 2, 3);
        assertThat(zero.c().shape()).containsExactly(4, 2, 7);
        RnnOutput out = layer.forward(Tensor.randn(new Rng(2), 1f, 2, 4, 5));
        assertThat(out.output().shape()).containsExactly(2, 4, 6);
        assertThat(out.state().h().shape()).containsExactly(4, 2, 3);
        assertThat(out.state().c().shape()).containsExactly(4, 2, 7);
    }

    @Test
    void projectionSizesAreCheckedNamingTheField() {
        assertThatThrownBy(() -> RnnConfig.lstm(3, 4).withProjSize(4)).isInstanceOf(RecurException.class)
                .hasMessageContaining("projSize").hasMessageContaining("smaller than hiddenSize 4")
                .hasMessageContaining("got 4");
        assertThatThrownBy(() -> RnnConfig.lstm(3, 4).withProjSize(-1)).hasMessageContaining("projSize")
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> RnnConfig.gru(3, 4).withProjSize(2)).hasMessageContaining("only an LSTM")
                .hasMessageContaining("GRU");
        assertThatThrownBy(() -> RnnConfig.lstm(3, 4).withProjSize(2).withCell(CellType.RNN_RELU))
                .hasMessageContaining("projSize").hasMessageContaining("RNN");
    }

    @Test
    void timeMajorIsTheTransposeOfBatchFirst() {
        RnnConfig cfg = RnnConfig.gru(3, 5).withLayers(2).withBidirectional(true);
        RnnLayer batchFirst = new RnnLayer(cfg, new Rng(1));
        RnnLayer timeMajor = new RnnLayer(cfg.withBatchFirst(false), new Rng(1));
        Tensor x = Tensor.randn(new Rng(2), 1f, 2, 4, 3); // [B, T, I]
        RnnOutput a = batchFirst.forward(x);
        RnnOutput b = timeMajor.forward(transpose(x));
        assertThat(b.output().shape()).containsExactly(4, 2, 10);
        assertThat(b.output().data()).containsExactly(transpose(a.output()).data());
        assertThat(b.state().h().data()).containsExactly(a.state().h().data());
        assertThatThrownBy(() -> timeMajor.forward(Tensor.zeros(4, 2, 5))).isInstanceOf(RecurException.class)
                .hasMessageContaining("[seq, batch, 3]").hasMessageContaining("[4, 2, 5]");
    }

    @Test
    void eachRowOfAVariableLengthBatchIsThatRowAlone() {
        RnnConfig cfg = RnnConfig.lstm(3, 6).withProjSize(4).withLayers(2).withBidirectional(true);
        RnnLayer layer = new RnnLayer(cfg, new Rng(3));
        int[] lengths = {2, 5, 1};
        Tensor x = Tensor.randn(new Rng(4), 1f, 3, 5, 3);
        RnnState s0 = new RnnState(Tensor.randn(new Rng(5), 1f, 4, 3, 4), Tensor.randn(new Rng(6), 1f, 4, 3, 6));
        RnnOutput batch = layer.forward(x, lengths, s0);
        for (int b = 0; b < 3; b++) {
            int len = lengths[b];
            Tensor row = Tensor.of(Arrays.copyOfRange(x.data(), b * 15, b * 15 + len * 3), 1, len, 3);
            RnnOutput alone = layer.forward(row, new RnnState(rowOf(s0.h(), b), rowOf(s0.c(), b)));
            for (int t = 0; t < 5; t++) {
                for (int k = 0; k < 8; k++) {
                    float got = batch.output().get(b, t, k);
                    float want = t < len ? alone.output().get(0, t, k) : 0f;
                    assertThat(got).as("row %d t %d k %d", b, t, k).isCloseTo(want, Offset.offset(1e-6f));
                }
            }
            assertThat(rowOf(batch.state().h(), b).data()).usingComparatorWithPrecision(1e-6f)
                    .containsExactly(alone.state().h().data());
            assertThat(rowOf(batch.state().c(), b).data()).usingComparatorWithPrecision(1e-6f)
                    .containsExactly(alone.state().c().data());
        }
    }

    @Test
    void fullLengthsEqualNoLengthsAndPaddingGetsNoGradient() {
        RnnConfig cfg = RnnConfig.gru(3, 4).withBidirectional(true);
        RnnLayer layer = new RnnLayer(cfg, new Rng(7));
        Tensor x = Tensor.randn(new Rng(8), 1f, 2, 4, 3).requiresGrad(true);
        assertThat(layer.forward(x, new int[] {4, 4}, null).output().data())
                .containsExactly(layer.forward(x).output().data());
        RnnOutput out = layer.forward(x, new int[] {4, 2}, null);
        out.output().backward(Tensor.full(1f, out.output().shape()).data());
        for (int t = 2; t < 4; t++) {
            for (int k = 0; k < 3; k++) {
                assertThat(x.grad().get(1, t, k)).isZero();
            }
        }
        assertThat(x.grad().get(1, 1, 0)).isNotZero();
    }

    @Test
    void badLengthsNameTheLayerTheRowAndTheRange() {
        RnnLayer layer = new RnnLayer(RnnConfig.lstm(3, 4).withProjSize(2), new Rng(1));
        Tensor x = Tensor.zeros(2, 5, 3);
        assertThatThrownBy(() -> layer.forward(x, new int[] {5, 6}, null)).isInstanceOf(RecurException.class)
                .hasMessageContaining("LSTM(3, 4, proj_size=2)").hasMessageContaining("lengths[1] = 6")
                .hasMessageContaining("[1, 5]");
        assertThatThrownBy(() -> layer.forward(x, new int[] {5, 0}, null)).hasMessageContaining("lengths[1] = 0")
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> layer.forward(x, new int[] {5, 5, 5}, null)).hasMessageContaining("3 entries")
                .hasMessageContaining("batch row (2)");
        assertThatThrownBy(() -> layer.forward(x, new int[0], null)).hasMessageContaining("none");
        assertThatThrownBy(() -> PackedLengths.of(IntTensor.of(new int[] {1, 2}, 1, 2)))
                .hasMessageContaining("[batch]").hasMessageContaining("[1, 2]");
    }

    @Test
    void projectedStatesAreCheckedAndRoundTripThroughBytes() {
        RnnConfig cfg = RnnConfig.lstm(3, 6).withProjSize(2).withBidirectional(true);
        RnnLayer layer = new RnnLayer(cfg, new Rng(1));
        RnnState state = layer.forward(Tensor.randn(new Rng(2), 1f, 3, 4, 3)).state();
        byte[] bytes = state.toBytes();
        assertThat(bytes).hasSize(28 + 4 * (2 * 3 * 2 + 2 * 3 * 6));
        assertThat(bytes[4]).isEqualTo((byte) 2);
        RnnState back = RnnState.fromBytes(bytes);
        assertThat(back.h().shape()).containsExactly(2, 3, 2);
        assertThat(back.c().shape()).containsExactly(2, 3, 6);
        assertThat(back.h().data()).containsExactly(state.h().data());
        assertThat(back.c().data()).containsExactly(state.c().data());
        assertThat(RnnState.zeros(RnnConfig.lstm(3, 6), 2).toBytes()[4]).isEqualTo((byte) 1);

        RnnState swapped = new RnnState(Tensor.zeros(2, 3, 6), Tensor.zeros(2, 3, 2));
        assertThatThrownBy(() -> layer.forward(Tensor.zeros(3, 4, 3), swapped)).isInstanceOf(RecurException.class)
                .hasMessageContaining("state h").hasMessageContaining("[2, 3, 2]").hasMessageContaining("[2, 3, 6]");
        assertThatThrownBy(() -> new RnnState(Tensor.zeros(2, 3, 2), Tensor.zeros(2, 4, 6)))
                .hasMessageContaining("rows and batch");
    }

    @Test
    void projectedStepLoopAndSplitForwardEqualTheWholeForward() {
        RnnConfig cfg = RnnConfig.lstm(3, 9).withProjSize(4).withLayers(2);
        RnnLayer layer = new RnnLayer(cfg, new Rng(11));
        Tensor x = Tensor.randn(new Rng(12), 1f, 2, 6, 3);
        RnnOutput whole = layer.forward(x);
        RnnState state = layer.initialState(2);
        for (int t = 0; t < 6; t++) {
            float[] xt = new float[2 * 3];
            float[] want = new float[2 * 4];
            for (int b = 0; b < 2; b++) {
                System.arraycopy(x.data(), (b * 6 + t) * 3, xt, b * 3, 3);
                System.arraycopy(whole.output().data(), (b * 6 + t) * 4, want, b * 4, 4);
            }
            RnnOutput out = layer.step(Tensor.of(xt, 2, 3), state);
            assertThat(out.output().data()).usingComparatorWithPrecision(1e-6f).containsExactly(want);
            state = out.state();
        }
        assertThat(state.c().data()).usingComparatorWithPrecision(1e-6f).containsExactly(whole.state().c().data());
        RnnLayer timeMajor = new RnnLayer(cfg.withBatchFirst(false), new Rng(11));
        Tensor tx = transpose(x);
        RnnOutput first = timeMajor.forward(Tensor.of(Arrays.copyOfRange(tx.data(), 0, 4 * 2 * 3), 4, 2, 3));
        RnnOutput second = timeMajor.forward(Tensor.of(Arrays.copyOfRange(tx.data(), 4 * 2 * 3, 6 * 2 * 3), 2, 2, 3),
                first.state());
        assertThat(second.state().h().data()).usingComparatorWithPrecision(1e-6f)
                .containsExactly(whole.state().h().data());
    }

    private static Tensor rowOf(Tensor state, int b) {
        int rows = state.dim(0);
        int batch = state.dim(1);
        int size = state.dim(2);
        float[] out = new float[rows * size];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(state.data(), (r * batch + b) * size, out, r * size, size);
        }
        return Tensor.of(out, rows, 1, size);
    }

    /** {@code [a, b, d] -> [b, a, d]}. */
    private static Tensor transpose(Tensor t) {
        return Tensor.of(RnnStack.transpose(t.data(), t.dim(0), t.dim(1), t.dim(2)), t.dim(1), t.dim(0), t.dim(2));
    }
}
