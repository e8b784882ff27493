package dev.recur.layers.stack;

import dev.recur.layers.block.BlockSpec;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.block.Params;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gradients that reach a block's input, every one of its parameters (norms, mixer, MLP) and the incoming
 * mixer state match central finite differences of {@code sum(block(x, state) * g)}, on up to 12 entries of each
 * tensor. The adapters are compositions
 * of ops whose own backward passes are checked in double elsewhere; this checks the wiring: that each tensor is
 * used where it should be and nothing is cut from the graph. Differences are taken in float32 (step 1e-2), so
 * the largest error per tensor may be 3% of its largest derivative (or of 1e-2 when all are smaller); a missing
 * or misrouted gradient is off by its whole size.
 */
class StackMixerGradTest {
    private static final int WIDTH = 8;
    private static final int ENTRIES = 12;
    private static final double STEP = 1e-2;
    private static final double TOLERANCE = 3e-2;
    /** Float32 forwards leave about 1e-4 of noise in a difference quotient: smaller derivatives compare absolutely. */
    private static final double FLOOR = 1e-2;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"attn(heads=2)", "attn(heads=2,window=3)", "mamba(state=4)",
        "mamba2(state=4,heads=2,chunk=2)", "gdn(heads=2)", "deltanet(heads=2)", "gla(heads=2)", "hgrn2(heads=2)",
        "linear(heads=2)", "gla(heads=2,conv=0)", "rat(heads=2,chunk=2)", "lstm", "gru", "elman", "s4d(state=4)",
        "rhn(depth=2)", "qlstm", "leaky(tau=3)", "rwkv", "lightnet(heads=2)", "lightnet(heads=2,conv=0)"})
    void gradientsMatchFiniteDifferences(String spec) {
        check(spec, true);
    }

    /**
     * The same from the initial state (no prefix), where LightNet's log normaliser is minus infinity, RWKV's
     * maximum exponent -1e30 and S4D's forward skips the free response: the first token's gradients must not
     * depend on those sentinels.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lightnet(heads=2)", "lightnet(heads=2,conv=0)", "rwkv", "s4d(state=4)", "rhn(depth=2)",
        "qlstm", "leaky", "elman"})
    void gradientsFromTheInitialStateMatchFiniteDifferences(String spec) {
        check(spec, false);
    }

    private static void check(String spec, boolean fromPrefix) {
        BlockSpec block = LayerSpec.parse(spec).get(0);
        StackBlock b = new StackBlock(block, WIDTH, 12, 1e-5f, 0.7f, Params.drawn(new Rng(11)));
        Rng rng = new Rng(12);
        Map<String, Tensor> stateLeaves = new LinkedHashMap<>();
        MixerState state = null;
        if (fromPrefix) {
            MixerState prefixState;
            try (GradMode.Scope ignored = GradMode.noGrad()) {
                prefixState = b.forward(Tensor.randn(rng, 1f, 2, 3, WIDTH), null).state();
            }
            prefixState.tensors().forEach((n, t) -> stateLeaves.put(n, Tensor.of(t.data().clone(), t.shape())
                    .requiresGrad(true)));
            state = new MixerState(stateLeaves, prefixState.position());
        }
        Tensor x = Tensor.randn(rng, 1f, 2, 4, WIDTH).requiresGrad(true);
        Tensor g = Tensor.randn(rng, 1f, 2, 4, WIDTH);

        Tensor y = b.forward(x, state).output();
        y.backward(g.data());

        Map<String, Tensor> checked = new LinkedHashMap<>();
        checked.put("x", x);
        b.parameters().forEach((n, t) -> checked.put("param " + n, t));
        stateLeaves.forEach((n, t) -> {
            if (t.size() > 0) {
                checked.put("state " + n, t);
            }
        });
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : checked.entrySet()) {
            Tensor t = e.getValue();
            float[] analytic = t.grad() == null ? new float[t.size()] : t.grad().data();
            double maxDiff = 0;
            double maxNumeric = FLOOR;
            Rng pick = new Rng(e.getKey().hashCode());
            for (int i = 0; i < Math.min(ENTRIES, t.size()); i++) {
                int j = t.size() <= ENTRIES ? i : pick.nextInt(t.size());
                double numeric = central(b, x, state, g, t, j);
                maxDiff = Math.max(maxDiff, Math.abs(numeric - analytic[j]));
                maxNumeric = Math.max(maxNumeric, Math.abs(numeric));
            }
            if (maxDiff / maxNumeric > TOLERANCE) {
                failures.add(e.getKey() + ": relative error " + maxDiff / maxNumeric);
            }
        }
        assertThat(failures).as(spec).isEmpty();
    }

    /** The central difference of the loss in entry {@code j} of {@code t}. */
    private static double central(StackBlock b, Tensor x, MixerState state, Tensor g, Tensor t, int j) {
        float original = t.data()[j];
        float up = (float) (original + STEP);
        float down = (float) (original - STEP);
        t.data()[j] = up;
        double plus = loss(b, x, state, g);
        t.data()[j] = down;
        double minus = loss(b, x, state, g);
        t.data()[j] = original;
        return (plus - minus) / ((double) up - down);
    }

    /** {@code sum(block(x, state) * g)} accumulated in double, without recording gradients. */
    private static double loss(StackBlock b, Tensor x, MixerState state, Tensor g) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            float[] y = b.forward(x, state).output().data();
            double s = 0;
            for (int i = 0; i < y.length; i++) {
                s += (double) y[i] * g.data()[i];
            }
            return s;
        }
    }
}
