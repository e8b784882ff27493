package dev.recur.layers.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Streaming: a forward split at every point with the state passed across, and a token-by-token step loop, equal
 * the forward in one piece; the state survives a bytes round trip; detach cuts the graph between chunks.
 */
class RnnStepTest {
    private static final int BATCH = 3;
    private static final int STEPS = 12;

    private static RnnConfig config(CellType cell) {
        return new RnnConfig(cell, 5, 6, 2, false, true, 0f);
    }

    private static Tensor slice(Tensor x, int from, int to) {
        int batch = x.dim(0);
        int steps = x.dim(1);
        int d = x.dim(2);
        float[] out = new float[batch * (to - from) * d];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(x.data(), (b * steps + from) * d, out, b * (to - from) * d, (to - from) * d);
        }
        return Tensor.of(out, batch, to - from, d);
    }

    private static double relativeError(float[] a, float[] b) {
        return RnnKernelTest.relativeError(a, b);
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void splitForwardEqualsWholeForwardAtEveryPoint(CellType cell) {
        RnnConfig cfg = config(cell).withBidirectional(false);
        RnnLayer layer = new RnnLayer(cfg, new Rng(3));
        Tensor x = Tensor.randn(new Rng(4), 1f, BATCH, STEPS, cfg.inputSize());
        RnnState s0 = new RnnState(Tensor.randn(new Rng(5), 0.5f, cfg.stateRows(), BATCH, 6),
                cell.hasCellState() ? Tensor.randn(new Rng(6), 0.5f, cfg.stateRows(), BATCH, 6) : null);
        RnnOutput whole = layer.forward(x, s0);
        for (int split = 1; split < STEPS; split++) {
            RnnOutput first = layer.forward(slice(x, 0, split), s0);
            RnnOutput second = layer.forward(slice(x, split, STEPS), first.state());
            assertTrue(relativeError(first.output().data(), slice(whole.output(), 0, split).data()) <= 1e-5);
            assertTrue(relativeError(second.output().data(), slice(whole.output(), split, STEPS).data()) <= 1e-5,
                    "split at " + split);
            assertTrue(relativeError(second.state().h().data(), whole.state().h().data()) <= 1e-5);
            if (cell.hasCellState()) {
                assertTrue(relativeError(second.state().c().data(), whole.state().c().data()) <= 1e-5);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void stepLoopEqualsForward(CellType cell) {
        RnnConfig cfg = config(cell);
        RnnLayer layer = new RnnLayer(cfg, new Rng(7));
        Tensor x = Tensor.randn(new Rng(8), 1f, BATCH, STEPS, cfg.inputSize());
        RnnOutput whole = layer.forward(x);
        RnnState state = layer.initialState(BATCH);
        for (int t = 0; t < STEPS; t++) {
            Tensor xt = Tensor.of(slice(x, t, t + 1).data(), BATCH, cfg.inputSize());
            RnnOutput out = layer.step(xt, state);
            assertThat(out.output().shape()).containsExactly(BATCH, cfg.hiddenSize());
            assertTrue(relativeError(out.output().data(), slice(whole.output(), t, t + 1).data()) <= 1e-5,
                    "step " + t);
            state = out.state();
        }
        assertTrue(relativeError(state.h().data(), whole.state().h().data()) <= 1e-5);
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"LSTM", "GRU", "RNN_TANH"})
    void chunkedPrefillThenStepsEqualsForwardAtLongSequences(CellType cell) {
        int steps = 4096;
        int prefill = 4000;
        RnnConfig cfg = new RnnConfig(cell, 4, 16, 1, false, true, 0f);
        RnnLayer layer = new RnnLayer(cfg, new Rng(21));
        Tensor x = Tensor.randn(new Rng(22), 1f, 2, steps, cfg.inputSize());
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            RnnOutput whole = layer.forward(x);
            RnnState state = layer.forward(slice(x, 0, 1000)).state();
            state = layer.forward(slice(x, 1000, prefill), state).state();
            for (int t = prefill; t < steps; t++) {
                RnnOutput out = layer.step(Tensor.of(slice(x, t, t + 1).data(), 2, cfg.inputSize()), state);
                assertTrue(relativeError(out.output().data(), slice(whole.output(), t, t + 1).data()) <= 1e-4,
                        "step " + t);
                state = out.state();
            }
            assertTrue(relativeError(state.h().data(), whole.state().h().data()) <= 1e-4);
        }
    }

    @Test
    void stateBytesRoundTripExactly() {
        RnnConfig cfg = config(CellType.LSTM).withBidirectional(true);
        RnnLayer layer = new RnnLayer(cfg, new Rng(9));
        RnnState state = layer.forward(Tensor.randn(new Rng(10), 1f, BATCH, 4, cfg.inputSize())).state();
        byte[] bytes = state.toBytes();
        assertThat(bytes).hasSize(24 + 2 * 4 * state.h().size());
        assertThat(new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("RNST");
        RnnState back = RnnState.fromBytes(bytes);
        assertThat(back.h().shape()).containsExactly(4, BATCH, 6);
        assertThat(back.h().data()).containsExactly(state.h().data());
        assertThat(back.c().data()).containsExactly(state.c().data());

        RnnState gru = RnnState.zeros(config(CellType.GRU), 2);
        assertThat(RnnState.fromBytes(gru.toBytes()).c()).isNull();
    }

    @Test
    void malformedStateBytesAreRejectedWithTheReason() {
        byte[] bytes = RnnState.zeros(config(CellType.LSTM), 2).toBytes();
        assertThatThrownBy(() -> RnnState.fromBytes(Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(RecurException.class).hasMessageContaining("needs " + bytes.length + " bytes");
        byte[] bad = bytes.clone();
        bad[0] = 'X';
        assertThatThrownBy(() -> RnnState.fromBytes(bad)).isInstanceOf(RecurException.class)
                .hasMessageContaining("magic");
        assertThatThrownBy(() -> RnnState.fromBytes(new byte[3])).isInstanceOf(RecurException.class);
    }

    @Test
    void detachCutsTheGraphBetweenChunks() {
        RnnConfig cfg = config(CellType.GRU);
        RnnLayer layer = new RnnLayer(cfg, new Rng(11));
        Tensor x1 = Tensor.randn(new Rng(12), 1f, BATCH, 5, cfg.inputSize()).requiresGrad(true);
        Tensor x2 = Tensor.randn(new Rng(13), 1f, BATCH, 4, cfg.inputSize());
        float[] upstream = Tensor.randn(new Rng(14), 1f, BATCH, 4, cfg.hiddenSize()).data();

        RnnState carried = layer.forward(x1).state();
        layer.forward(x2, carried).output().backward(upstream);
        assertThat(x1.grad()).as("without detach the gradient reaches the first chunk").isNotNull();
        float[] linked = layer.parameter("weight_hh_l1").grad().data().clone();

        x1.zeroGrad();
        layer.parameters().values().forEach(Tensor::zeroGrad);
        RnnState cut = layer.forward(x1).state().detach();
        layer.forward(x2, cut).output().backward(upstream);
        assertThat(x1.grad()).isNull();
        float[] truncated = layer.parameter("weight_hh_l1").grad().data();
        assertThat(truncated).isNotEqualTo(linked);

        layer.parameters().values().forEach(Tensor::zeroGrad);
        RnnState leaf = new RnnState(Tensor.of(cut.h().data().clone(), cut.h().shape()), null);
        layer.forward(x2, leaf).output().backward(upstream);
        assertThat(layer.parameter("weight_hh_l1").grad().data()).containsExactly(truncated);
    }

    @Test
    void bidirectionalStepIsAClearError() {
        RnnLayer layer = new RnnLayer(config(CellType.LSTM).withBidirectional(true), new Rng(1));
        assertThatThrownBy(() -> layer.step(Tensor.zeros(2, 5), layer.initialState(2)))
                .isInstanceOf(RecurException.class).hasMessageContaining("bidirectional");
    }
}
