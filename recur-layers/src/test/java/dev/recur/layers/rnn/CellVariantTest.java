package dev.recur.layers.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cell variants as layer options: what {@link RnnConfig} accepts and refuses (one message naming the field, the
 * expected and the got), the peepholes' parameter names and shapes, that PyTorch's configs are untouched, and
 * streaming: a forward split anywhere with the state passed across (also through bytes) and the step loop equal the
 * forward in one piece.
 */
class CellVariantTest {
    private static final int BATCH = 3;
    private static final int STEPS = 9;

    static Stream<RnnConfig> variants() {
        CellVariant none = CellVariant.NONE;
        return Stream.of(
                RnnConfig.gru(4, 6).withVariant(none.withLinearBeforeReset(false).withClip(1.5f)),
                RnnConfig.lstm(4, 6).withVariant(none.withPeepholes(true).withCoupledInputForget(true)),
                RnnConfig.lstm(4, 6).withLayers(2).withVariant(none.withClip(0.7f).withActivations(Activation.RELU,
                        Activation.TANH, Activation.SIGMOID)),
                RnnConfig.rnn(4, 6).withVariant(none.withActivations(Activation.SIGMOID)));
    }

    @Test
    void refusesVariantsTheCellDoesNotHave() {
        CellVariant none = CellVariant.NONE;
        assertRefused(() -> RnnConfig.lstm(3, 4).withVariant(none.withLinearBeforeReset(false)),
                "RnnConfig.variant.linearBeforeReset: only a GRU has a reset gate; expected true for LSTM, got false");
        assertRefused(() -> RnnConfig.gru(3, 4).withVariant(none.withPeepholes(true)),
                "RnnConfig.variant.peepholes: only an LSTM has peephole connections, got true for GRU");
        assertRefused(() -> RnnConfig.rnn(3, 4).withVariant(none.withCoupledInputForget(true)),
                "RnnConfig.variant.coupledInputForget: only an LSTM has input and forget gates, got true for RNN");
        assertRefused(() -> RnnConfig.gru(3, 4).withBidirectional(true).withVariant(none.withActivations(
                Activation.SIGMOID, Activation.TANH, Activation.RELU)), "RnnConfig.variant.activations: GRU takes 2 "
                + "per direction (or 4 for both), got 3 [SIGMOID, TANH, RELU]");
        assertRefused(() -> RnnConfig.lstm(3, 4).withProjSize(2).withVariant(none.withClip(1f)),
                "RnnConfig.variant: an LSTM with a projection (projSize 2) computes PyTorch's cell only, got "
                        + "CellVariant[linearBeforeReset=true, peepholes=false, clip=1.0, coupledInputForget=false, "
                        + "activations=[]]");
        assertRefused(() -> none.withClip(0f), "CellVariant.clip: must be positive (Infinity for none), got 0.0");
        assertRefused(() -> none.withClip(Float.NaN),
                "CellVariant.clip: must be positive (Infinity for none), got NaN");
        assertRefused(() -> none.withActivations(Activation.TANH, null),
                "CellVariant.activations[1]: must be SIGMOID, TANH or RELU, got null");
        assertRefused(() -> Activation.parse("HardSigmoid"), "Activation: expected Sigmoid, Tanh or Relu, got "
                + "'HardSigmoid'");
    }

    private static void assertRefused(Runnable r, String message) {
        assertThatThrownBy(r::run).isInstanceOf(RecurException.class).hasMessage(message);
    }

    @Test
    void peepholesAreParametersAfterTheBiases() {
        RnnConfig cfg = RnnConfig.lstm(3, 5).withBidirectional(true).withVariant(CellVariant.NONE.withPeepholes(true));
        assertThat(cfg.parameterNames()).containsExactly("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "peephole_l0", "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse",
                "bias_hh_l0_reverse", "peephole_l0_reverse");
        assertThat(cfg.parameterShape("peephole_l0_reverse")).containsExactly(15);
        assertThat(new RnnLayer(cfg, new Rng(1)).parameter("peephole_l0").shape()).containsExactly(15);
    }

    @Test
    void pytorchConfigsKeepTheirVariantAndActivations() {
        RnnConfig gru = RnnConfig.gru(3, 4);
        assertThat(gru.variant()).isSameAs(CellVariant.NONE);
        assertThat(gru.variant().isNone()).isTrue();
        assertThat(new RnnConfig(CellType.LSTM, 3, 4, 1, false, true, 0f, 0, true, null).variant())
                .isEqualTo(CellVariant.NONE);
        assertThat(gru.parameterNames()).containsExactly("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0");
        // the activations ONNX lists by default are a variant of their own, computed by the variant kernels
        RnnConfig listed = gru.withVariant(CellVariant.NONE.withActivations(Activation.SIGMOID, Activation.TANH));
        assertThat(listed.variant().isNone()).isFalse();
        RnnLayer a = new RnnLayer(gru, new Rng(2));
        RnnLayer b = new RnnLayer(listed, new Rng(2));
        Tensor x = Tensor.randn(new Rng(3), 1f, BATCH, STEPS, 3);
        assertTrue(RnnKernelTest.relativeError(b.forward(x).output().data(), a.forward(x).output().data()) <= 1e-5);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void splitForwardThroughBytesEqualsWholeForward(RnnConfig cfg) {
        RnnLayer layer = new RnnLayer(cfg, new Rng(3));
        Tensor x = Tensor.randn(new Rng(4), 1f, BATCH, STEPS, cfg.inputSize());
        RnnState s0 = new RnnState(Tensor.randn(new Rng(5), 0.5f, cfg.stateRows(), BATCH, cfg.hiddenSize()),
                cfg.cell().hasCellState() ? Tensor.randn(new Rng(6), 0.5f, cfg.stateRows(), BATCH, cfg.hiddenSize())
                        : null);
        RnnOutput whole = layer.forward(x, s0);
        for (int split = 1; split < STEPS; split++) {
            RnnOutput first = layer.forward(slice(x, 0, split), s0);
            RnnState passed = RnnState.fromBytes(first.state().toBytes());
            RnnOutput second = layer.forward(slice(x, split, STEPS), passed);
            assertTrue(RnnKernelTest.relativeError(concat(first.output(), second.output()),
                    whole.output().data()) <= 1e-5, "split at " + split);
            assertTrue(RnnKernelTest.relativeError(second.state().h().data(), whole.state().h().data()) <= 1e-5);
            if (cfg.cell().hasCellState()) {
                assertTrue(RnnKernelTest.relativeError(second.state().c().data(), whole.state().c().data()) <= 1e-5);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void stepLoopEqualsForward(RnnConfig cfg) {
        RnnLayer layer = new RnnLayer(cfg, new Rng(7));
        Tensor x = Tensor.randn(new Rng(8), 1f, BATCH, STEPS, cfg.inputSize());
        RnnOutput whole = layer.forward(x);
        RnnState state = layer.initialState(BATCH);
        List<float[]> steps = new ArrayList<>();
        for (int t = 0; t < STEPS; t++) {
            RnnOutput out = layer.step(Tensor.of(slice(x, t, t + 1).data(), BATCH, cfg.inputSize()), state);
            steps.add(out.output().data());
            state = out.state();
        }
        float[] stepped = new float[whole.output().size()];
        int h = cfg.hiddenSize();
        for (int t = 0; t < STEPS; t++) {
            for (int b = 0; b < BATCH; b++) {
                System.arraycopy(steps.get(t), b * h, stepped, (b * STEPS + t) * h, h);
            }
        }
        assertTrue(RnnKernelTest.relativeError(stepped, whole.output().data()) <= 1e-5);
        assertTrue(RnnKernelTest.relativeError(state.h().data(), whole.state().h().data()) <= 1e-5);
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

    /** Two batch-first outputs joined along time. */
    private static float[] concat(Tensor a, Tensor b) {
        int batch = a.dim(0);
        int d = a.dim(2);
        int ta = a.dim(1);
        int tb = b.dim(1);
        float[] out = new float[batch * (ta + tb) * d];
        for (int r = 0; r < batch; r++) {
            System.arraycopy(a.data(), r * ta * d, out, r * (ta + tb) * d, ta * d);
            System.arraycopy(b.data(), r * tb * d, out, (r * (ta + tb) + ta) * d, tb * d);
        }
        return out;
    }
}
