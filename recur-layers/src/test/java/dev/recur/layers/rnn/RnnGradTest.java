package dev.recur.layers.rnn;

import static dev.recur.core.testing.GradCheck.in;

import dev.recur.core.random.Rng;
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
 * The hand-written BPTT (fast and reference kernels) against central differences of a double-precision twin of
 * the stack ({@link RnnTwin}): gradients of the input, h0, c0 and every parameter, through each output
 * ({@code y}, {@code h_n}, {@code c_n}) separately, for multi-layer and bidirectional stacks.
 */
class RnnGradTest {
    private static final int BATCH = 2;
    private static final int STEPS = 4;
    private static final long DROPOUT_SEED = 11;

    static Stream<Arguments> configs() {
        RnnConfig rnn = RnnConfig.rnn(3, 4);
        RnnConfig lstm = RnnConfig.lstm(3, 4);
        RnnConfig gru = RnnConfig.gru(3, 4);
        return Stream.of(
                Arguments.of(rnn.withLayers(2).withBidirectional(true), false),
                Arguments.of(rnn.withCell(CellType.RNN_RELU).withLayers(2), false),
                Arguments.of(lstm.withLayers(2).withBidirectional(true), false),
                Arguments.of(lstm.withLayers(2).withBidirectional(true), true),
                Arguments.of(lstm.withBias(false), false),
                Arguments.of(lstm.withLayers(2).withDropout(0.3f), false),
                Arguments.of(gru.withLayers(2).withBidirectional(true), false),
                Arguments.of(gru.withLayers(2).withBidirectional(true), true),
                Arguments.of(gru.withBias(false).withDropout(0.5f).withLayers(3), false),
                // 18 hidden units: a full vector of gate lanes plus a scalar tail.
                Arguments.of(RnnConfig.lstm(3, 18).withBidirectional(true), false),
                Arguments.of(RnnConfig.gru(3, 18), false),
                Arguments.of(RnnConfig.rnn(3, 18).withLayers(2), false));
    }

    @ParameterizedTest(name = "{0} reference={1}")
    @MethodSource("configs")
    void bpttMatchesFiniteDifferencesOfDoubleTwin(RnnConfig cfg, boolean reference) {
        int outputs = cfg.cell().hasCellState() ? 3 : 2;
        for (int which = 0; which < outputs; which++) {
            int output = which;
            GradCheck.of(cfg.cell().label() + " output " + which + (reference ? " (reference)" : ""))
                    .seed(17 + which)
                    .check(t -> run(cfg, t, reference)[output], d -> twin(cfg, d)[output], inputs(cfg));
        }
    }

    private static GradCheck.Input[] inputs(RnnConfig cfg) {
        List<GradCheck.Input> ins = new ArrayList<>();
        ins.add(in(BATCH, STEPS, cfg.inputSize()));
        ins.add(in(cfg.stateRows(), BATCH, cfg.hiddenSize()));
        if (cfg.cell().hasCellState()) {
            ins.add(in(cfg.stateRows(), BATCH, cfg.hiddenSize()));
        }
        for (String name : cfg.parameterNames()) {
            ins.add(in(cfg.parameterShape(name)));
        }
        return ins.toArray(new GradCheck.Input[0]);
    }

    private static Tensor[] run(RnnConfig cfg, Tensor[] t, boolean reference) {
        boolean lstm = cfg.cell().hasCellState();
        int first = lstm ? 3 : 2;
        List<Tensor> params = Arrays.asList(t).subList(first, t.length);
        RnnStack stack = new RnnStack(cfg, SequenceKernel.of(cfg.cell(), cfg.projSize() > 0, reference));
        Rng dropout = cfg.dropout() > 0 ? new Rng(DROPOUT_SEED) : null;
        return stack.forward(params, t[0], BATCH, STEPS, t[1], lstm ? t[2] : null, null, dropout,
                new int[] {BATCH, STEPS, cfg.outputSize()});
    }

    private static double[][] twin(RnnConfig cfg, double[][] d) {
        boolean lstm = cfg.cell().hasCellState();
        int first = lstm ? 3 : 2;
        double[][] params = Arrays.copyOfRange(d, first, d.length);
        RnnTwin.Result r = RnnTwin.run(cfg, d[0], BATCH, STEPS, d[1], lstm ? d[2] : null, params, masks(cfg), null);
        return new double[][] {r.y(), r.hN(), r.cN()};
    }

    /**
     * The masks the stack draws: per layer but the last, one uniform per element of its time-major output
     * [T, B, dirs*H], zero below p, else 1/(1-p); returned batch-first for the twin.
     */
    static double[][] masks(RnnConfig cfg) {
        if (cfg.dropout() == 0f) {
            return null;
        }
        Rng rng = new Rng(DROPOUT_SEED);
        int width = cfg.outputSize();
        double[][] masks = new double[cfg.numLayers()][];
        double scale = 1f / (1f - cfg.dropout());
        for (int l = 0; l < cfg.numLayers() - 1; l++) {
            masks[l] = new double[BATCH * STEPS * width];
            for (int t = 0; t < STEPS; t++) {
                for (int b = 0; b < BATCH; b++) {
                    for (int k = 0; k < width; k++) {
                        masks[l][(b * STEPS + t) * width + k] = rng.nextDouble() < cfg.dropout() ? 0 : scale;
                    }
                }
            }
        }
        return masks;
    }
}
