package dev.recur.layers.rnn;

import static dev.recur.core.testing.GradCheck.in;

import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hand-written BPTT of the cell variants of ONNX's operators (GRU with the reset gate before the product, LSTM
 * peepholes and coupled gates, clipping, other activations; fast and reference kernels) against central differences
 * of the double-precision twin ({@link RnnTwin}, {@link CellVariantTwin}): gradients of the input, h0, c0 and every
 * parameter (the peepholes included) through each output separately, with full and variable-length batches. The
 * clip of 0.9 clamps a good share of the pre-activations (weights and inputs are drawn from U(-1, 1)), so the zero
 * gradient where it clamps is checked too.
 */
class RnnVariantGradTest {
    private static final int BATCH = 3;
    private static final int STEPS = 5;
    private static final float CLIP = 0.9f;

    static Stream<Arguments> configs() {
        int[] full = null;
        int[] ragged = {4, 5, 1};
        CellVariant none = CellVariant.NONE;
        RnnConfig gru = RnnConfig.gru(3, 4);
        RnnConfig lstm = RnnConfig.lstm(3, 4);
        RnnConfig rnn = RnnConfig.rnn(3, 4);
        List<Arguments> cases = new ArrayList<>();
        for (boolean reference : new boolean[] {false, true}) {
            cases.add(Arguments.of(gru.withVariant(none.withLinearBeforeReset(false)).withLayers(2)
                    .withBidirectional(true), full, reference));
            cases.add(Arguments.of(gru.withVariant(none.withLinearBeforeReset(false).withClip(CLIP)).withBias(false)
                    .withBatchFirst(false), ragged, reference));
            cases.add(Arguments.of(gru.withBidirectional(true).withVariant(none.withClip(CLIP).withActivations(
                    Activation.TANH, Activation.RELU, Activation.SIGMOID, Activation.TANH)), ragged, reference));
            cases.add(Arguments.of(lstm.withVariant(none.withPeepholes(true)).withLayers(2).withBidirectional(true),
                    full, reference));
            cases.add(Arguments.of(lstm.withVariant(none.withPeepholes(true).withClip(CLIP)
                    .withCoupledInputForget(true)).withBatchFirst(false), ragged, reference));
            cases.add(Arguments.of(lstm.withVariant(none.withClip(CLIP).withActivations(Activation.SIGMOID,
                    Activation.RELU, Activation.TANH)).withBias(false).withBidirectional(true), ragged, reference));
            cases.add(Arguments.of(lstm.withVariant(none.withCoupledInputForget(true).withActivations(
                    Activation.TANH, Activation.SIGMOID, Activation.RELU)), full, reference));
            cases.add(Arguments.of(rnn.withBidirectional(true).withLayers(2).withVariant(none.withClip(CLIP)
                    .withActivations(Activation.SIGMOID, Activation.TANH)), ragged, reference));
        }
        // 18 hidden units: a full vector of lanes plus a scalar tail in the fast kernels' vector passes.
        cases.add(Arguments.of(RnnConfig.gru(3, 18).withVariant(none.withLinearBeforeReset(false).withClip(CLIP)),
                ragged, false));
        cases.add(Arguments.of(RnnConfig.lstm(3, 18).withVariant(none.withPeepholes(true).withClip(CLIP)), full,
                false));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} lengths={1} reference={2}")
    @MethodSource("configs")
    void bpttMatchesFiniteDifferencesOfDoubleTwin(RnnConfig cfg, int[] lengths, boolean reference) {
        int outputs = cfg.cell().hasCellState() ? 3 : 2;
        for (int which = 0; which < outputs; which++) {
            int output = which;
            GradCheck.of(cfg.cell().label() + " " + cfg.variant() + " output " + which
                            + (reference ? " (reference)" : ""))
                    .seed(53 + which)
                    .check(t -> run(cfg, t, lengths, reference)[output], d -> twin(cfg, d, lengths)[output],
                            inputs(cfg));
        }
    }

    private static GradCheck.Input[] inputs(RnnConfig cfg) {
        List<GradCheck.Input> ins = new ArrayList<>();
        ins.add(cfg.batchFirst() ? in(BATCH, STEPS, cfg.inputSize()) : in(STEPS, BATCH, cfg.inputSize()));
        ins.add(in(cfg.stateRows(), BATCH, cfg.stateSize()));
        if (cfg.cell().hasCellState()) {
            ins.add(in(cfg.stateRows(), BATCH, cfg.hiddenSize()));
        }
        for (String name : cfg.parameterNames()) {
            ins.add(in(cfg.parameterShape(name)));
        }
        return ins.toArray(new GradCheck.Input[0]);
    }

    private static Tensor[] run(RnnConfig cfg, Tensor[] t, int[] lengths, boolean reference) {
        boolean lstm = cfg.cell().hasCellState();
        int first = lstm ? 3 : 2;
        List<Tensor> params = Arrays.asList(t).subList(first, t.length);
        RnnStack stack = new RnnStack(cfg, SequenceKernel.of(cfg, reference));
        int[] outputShape = cfg.batchFirst() ? new int[] {BATCH, STEPS, cfg.outputSize()}
                : new int[] {STEPS, BATCH, cfg.outputSize()};
        return stack.forward(params, t[0], BATCH, STEPS, t[1], lstm ? t[2] : null, lengths, null, outputShape);
    }

    private static double[][] twin(RnnConfig cfg, double[][] d, int[] lengths) {
        boolean lstm = cfg.cell().hasCellState();
        int first = lstm ? 3 : 2;
        double[][] params = Arrays.copyOfRange(d, first, d.length);
        double[] x = cfg.batchFirst() ? d[0] : RnnTwin.transpose(d[0], STEPS, BATCH, cfg.inputSize());
        RnnTwin.Result r = RnnTwin.run(cfg, x, BATCH, STEPS, d[1], lstm ? d[2] : null, params, null, lengths);
        double[] y = cfg.batchFirst() ? r.y() : RnnTwin.transpose(r.y(), BATCH, STEPS, cfg.outputSize());
        return new double[][] {y, r.hN(), r.cN()};
    }
}
