package dev.recur.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.train.Fixtures;
import dev.recur.train.NamedParameter;
import dev.recur.train.Parameters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Exporting optimiser state, importing it into a fresh optimiser and continuing equals never stopping. */
class OptimizerStateTest {
    static final String[] NAMES = {"rnn.weight", "rnn.bias", "head"};
    static final int[][] SHAPES = {{6, 4}, {4}, {4, 3}};

    /** Gradients for step {@code step}: the same whichever optimiser instance asks. "head" skips step 2. */
    static void setGrads(Parameters params, int step) {
        Rng rng = new Rng(100).derive(step);
        for (NamedParameter p : params) {
            float[] g = Fixtures.randomGrad(rng, p, 0.7);
            p.value().zeroGrad();
            if (!(p.name().equals("head") && step == 2)) {
                Fixtures.setGrad(p, g);
            }
        }
    }

    static void run(Optimizer opt, int from, int to) {
        for (int step = from; step < to; step++) {
            setGrads(opt.parameters(), step);
            opt.setLearningRate(0.03 / (1 + 0.1 * step));
            opt.step();
        }
    }

    static void assertResumeIsBitwise(Function<Parameters, Optimizer> make) {
        Parameters straight = Fixtures.randomParameters(9, NAMES, SHAPES);
        Optimizer reference = make.apply(straight);
        run(reference, 0, 10);

        Parameters first = Fixtures.randomParameters(9, NAMES, SHAPES);
        Optimizer before = make.apply(first);
        run(before, 0, 4);
        Map<String, Tensor> saved = before.exportState();
        // The export is a snapshot: stepping on must not change it.
        Map<String, float[]> savedValues = new LinkedHashMap<>();
        saved.forEach((k, v) -> savedValues.put(k, v.data().clone()));
        run(before, 4, 6);
        saved.forEach((k, v) -> assertArrayEquals(savedValues.get(k), v.data(), k));

        Parameters resumedParams = Fixtures.randomParameters(9, NAMES, SHAPES);
        Optimizer warm = make.apply(resumedParams);
        run(warm, 0, 4);
        Parameters copied = Fixtures.copy(resumedParams);
        Optimizer resumed = make.apply(copied);
        resumed.importState(saved);
        run(resumed, 4, 10);

        for (int p = 0; p < NAMES.length; p++) {
            assertArrayEquals(straight.list().get(p).value().data(), copied.list().get(p).value().data(),
                    NAMES[p] + " after resume");
        }
        Map<String, Tensor> a = reference.exportState();
        Map<String, Tensor> b = resumed.exportState();
        assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
        a.forEach((k, v) -> assertArrayEquals(v.data(), b.get(k).data(), k));
    }

    @Test
    void adamwResumesBitwise() {
        assertResumeIsBitwise(p -> new AdamW(p, new AdamWConfig(0.03, 0.9, 0.99, 1e-8, 0.05), AdamW.matricesOnly()));
    }

    @Test
    void sgdWithNesterovResumesBitwise() {
        assertResumeIsBitwise(p -> new Sgd(p, SgdConfig.of(0.03).withMomentum(0.9).withNesterov(true)
                .withWeightDecay(0.01)));
    }

    @Test
    void adamwStateNamesAndShapes() {
        Parameters params = Fixtures.randomParameters(9, NAMES, SHAPES);
        AdamW adamw = new AdamW(params, AdamWConfig.of(0.01));
        assertThat(adamw.exportState()).isEmpty();
        run(adamw, 0, 3);
        Map<String, Tensor> state = adamw.exportState();
        assertThat(state.keySet()).containsExactly("adamw.step.rnn.weight", "adamw.m.rnn.weight",
                "adamw.v.rnn.weight", "adamw.step.rnn.bias", "adamw.m.rnn.bias", "adamw.v.rnn.bias",
                "adamw.step.head", "adamw.m.head", "adamw.v.head");
        assertThat(state.get("adamw.m.rnn.weight").shape()).containsExactly(6, 4);
        assertThat(state.get("adamw.step.rnn.weight").data()).containsExactly(3f, 0f);
        assertThat(state.get("adamw.step.head").data()).containsExactly(2f, 0f);
    }

    @Test
    void stepCountsBeyondFloatPrecisionSurviveTheRoundTrip() {
        Parameters params = Parameters.of(List.of(new NamedParameter("w", Tensor.zeros(2).requiresGrad(true))));
        long count = (1L << 40) + 12345;
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("adamw.step.w", Tensor.of(new float[] {count % (1 << 24), count >> 24}, 2));
        state.put("adamw.m.w", Tensor.zeros(2));
        state.put("adamw.v.w", Tensor.zeros(2));
        AdamW adamw = new AdamW(params, AdamWConfig.of(0.01));
        adamw.importState(state);
        Fixtures.setGrad(params.list().get(0), new float[] {1f, -1f});
        adamw.step();
        float[] next = adamw.exportState().get("adamw.step.w").data();
        assertThat((long) next[1] * (1L << 24) + (long) next[0]).isEqualTo(count + 1);
    }

    @Test
    void importRejectsMismatchedStateAndChangesNothing() {
        Parameters params = Fixtures.randomParameters(9, NAMES, SHAPES);
        AdamW adamw = new AdamW(params, AdamWConfig.of(0.01));
        run(adamw, 0, 2);
        Map<String, Tensor> good = adamw.exportState();

        Map<String, Tensor> unknown = new LinkedHashMap<>(good);
        unknown.put("adamw.m.decoder", Tensor.zeros(4));
        assertThatThrownBy(() -> adamw.importState(unknown)).isInstanceOf(RecurException.class)
                .hasMessageContaining("adamw.m.decoder");

        Map<String, Tensor> wrongShape = new LinkedHashMap<>(good);
        wrongShape.put("adamw.v.head", Tensor.zeros(3, 4));
        assertThatThrownBy(() -> adamw.importState(wrongShape)).hasMessageContaining("adamw.v.head")
                .hasMessageContaining("[4, 3]").hasMessageContaining("[3, 4]");

        Map<String, Tensor> incomplete = new LinkedHashMap<>(good);
        incomplete.remove("adamw.v.rnn.bias");
        assertThatThrownBy(() -> adamw.importState(incomplete)).hasMessageContaining("rnn.bias")
                .hasMessageContaining("incomplete");

        Map<String, Tensor> badStep = new LinkedHashMap<>(good);
        badStep.put("adamw.step.head", Tensor.of(new float[] {1.5f, 0f}, 2));
        assertThatThrownBy(() -> adamw.importState(badStep)).hasMessageContaining("adamw.step.head");

        Map<String, Tensor> negativeV = new LinkedHashMap<>(good);
        negativeV.put("adamw.v.head", Tensor.full(-1f, 4, 3));
        assertThatThrownBy(() -> adamw.importState(negativeV)).hasMessageContaining("adamw.v.head");

        Map<String, Tensor> after = adamw.exportState();
        good.forEach((k, v) -> assertArrayEquals(v.data(), after.get(k).data(), k));

        Sgd plain = new Sgd(params, SgdConfig.of(0.1));
        assertThatThrownBy(() -> plain.importState(Map.of("sgd.momentum.head", Tensor.zeros(4, 3))))
                .hasMessageContaining("momentum 0");
        Sgd heavy = new Sgd(params, SgdConfig.of(0.1).withMomentum(0.9));
        assertThatThrownBy(() -> heavy.importState(good)).hasMessageContaining("adamw.step.rnn.weight");
    }
}
