package dev.recur.layers.depth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Reductions;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.attention.KvCache;
import dev.recur.layers.lm.LmState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Universal Transformer's streaming contract: a token-by-token step loop, a chunked prefill followed by
 * steps and a forward split anywhere (state passed across) give the outputs, halting counts and ponder costs of
 * the whole forward, and the same final state; the step loop also matches {@link ActTwin}, the double-precision
 * twin of the whole sequence. The halting bias 0 makes positions stop after different numbers of steps (checked),
 * so halted positions serve as keys and values at later depth steps of later tokens. The state survives a bytes
 * round trip bit for bit, and states that do not fit are refused with the expected and the got.
 */
class UniversalTransformerStepTest {
    private static final int BATCH = 2;
    private static final UniversalTransformerConfig CONFIG = new UniversalTransformerConfig(8, 2, 16, 5, 0.01, 0f);
    private static final double TOLERANCE = 1e-4;

    private static UniversalTransformer model() {
        return UniversalTransformer.create(CONFIG, new Rng(21));
    }

    private static Tensor input(int steps) {
        return Tensor.randn(new Rng(22), 1f, BATCH, steps, CONFIG.width());
    }

    @ParameterizedTest(name = "T={0}")
    @CsvSource({"1", "7", "63"})
    void stepLoopMatchesForwardAndTheTwin(int steps) {
        UniversalTransformer ut = model();
        Tensor x = input(steps);
        UniversalTransformerOutput whole = ut.forward(x, null);
        Streamed streamed = stream(ut, x, 0, null);
        assertSameResults(streamed, whole.act());
        assertSameState(streamed.state, whole.state());

        ActTwin twin = new ActTwin(CONFIG, BATCH, steps, doubles(x), weights(ut));
        assertThat(relativeError(streamed.output.data(), twin.output)).isLessThanOrEqualTo(TOLERANCE);
        assertThat(ints(streamed.counts)).containsExactly(twin.counts);
        assertThat(relativeError(streamed.ponder.data(), twin.ponder)).isLessThanOrEqualTo(TOLERANCE);
        if (steps > 1) {
            int[] counts = ints(streamed.counts);
            assertThat(Arrays.stream(counts).distinct().count())
                    .as("halting counts should differ between positions: %s", Arrays.toString(counts))
                    .isGreaterThanOrEqualTo(2);
        }
    }

    @ParameterizedTest(name = "T={0}, prefill {1}")
    @CsvSource({"7, 1", "7, 4", "63, 17", "63, 62"})
    void prefillThenStepsMatchesForward(int steps, int prefill) {
        UniversalTransformer ut = model();
        Tensor x = input(steps);
        UniversalTransformerOutput first = ut.forward(Reshaping.slice(x, 1, 0, prefill), null);
        assertThat(first.state().position()).isEqualTo(prefill);
        Streamed rest = stream(ut, x, prefill, first.state());
        Streamed all = new Streamed(Reshaping.concat(1, first.act().output(), rest.output),
                Reshaping.concat(1, floats(first.act().haltingSteps().data(), BATCH), rest.counts),
                Reshaping.concat(1, first.act().ponder(), rest.ponder), rest.state);
        UniversalTransformerOutput whole = ut.forward(x, null);
        assertSameResults(all, whole.act());
        assertSameState(all.state, whole.state());
    }

    /** 1,024 tokens (about a second, so not tagged slow): rounding differences do not flip a halting decision. */
    @Test
    void longStreamMatchesForward() {
        longStream(1024, 700);
    }

    /** The design's parity length, 4,096 tokens, with a prefill of 2,500 (tens of seconds: slow). */
    @Test
    @Tag("slow")
    void designLengthStreamMatchesForward() {
        longStream(4096, 2500);
    }

    private void longStream(int steps, int prefill) {
        UniversalTransformer ut = model();
        Tensor x = input(steps);
        try (GradMode.Scope off = GradMode.noGrad()) {
            UniversalTransformerOutput whole = ut.forward(x, null);
            Streamed streamed = stream(ut, x, 0, null);
            assertSameResults(streamed, whole.act());
            assertSameState(streamed.state, whole.state());

            UniversalTransformerOutput first = ut.forward(Reshaping.slice(x, 1, 0, prefill), null);
            Streamed rest = stream(ut, x, prefill, first.state());
            assertSameResults(new Streamed(Reshaping.concat(1, first.act().output(), rest.output),
                    Reshaping.concat(1, floats(first.act().haltingSteps().data(), BATCH), rest.counts),
                    Reshaping.concat(1, first.act().ponder(), rest.ponder), rest.state), whole.act());
        }
    }

    @Test
    void splitForwardMatchesWholeForward() {
        UniversalTransformer ut = model();
        int steps = 23;
        Tensor x = input(steps);
        UniversalTransformerOutput whole = ut.forward(x, null);
        for (int[] cuts : new int[][] {{1}, {5, 6}, {3, 9, 15}, {22}, {2, 4, 8, 16}}) {
            List<Tensor> outputs = new ArrayList<>();
            List<Tensor> ponders = new ArrayList<>();
            List<Tensor> counts = new ArrayList<>();
            UniversalTransformerState state = null;
            int from = 0;
            for (int i = 0; i <= cuts.length; i++) {
                int to = i < cuts.length ? cuts[i] : steps;
                UniversalTransformerOutput r = ut.forward(Reshaping.slice(x, 1, from, to), state);
                outputs.add(r.act().output());
                ponders.add(r.act().ponder());
                counts.add(floats(r.act().haltingSteps().data(), BATCH));
                state = r.state();
                from = to;
            }
            Streamed split = new Streamed(Reshaping.concat(1, outputs.toArray(new Tensor[0])),
                    Reshaping.concat(1, counts.toArray(new Tensor[0])),
                    Reshaping.concat(1, ponders.toArray(new Tensor[0])), state);
            assertSameResults(split, whole.act());
            assertSameState(split.state, whole.state());
        }
    }

    @Test
    void wholeForwardWithoutStateIsTheEmptyStateCase() {
        UniversalTransformer ut = model();
        Tensor x = input(9);
        ActResult plain = ut.forward(x);
        ActResult streamed = ut.forward(x, ut.initialState(BATCH)).act();
        assertThat(streamed.output().data()).containsExactly(plain.output().data());
        assertThat(streamed.haltingSteps().data()).containsExactly(plain.haltingSteps().data());
        assertThat(streamed.ponder().data()).containsExactly(plain.ponder().data());
    }

    @Test
    void gradientsFlowAcrossTheStateAsThroughTheWholeForward() {
        UniversalTransformer ut = model();
        Tensor x = input(11).requiresGrad(true);
        ActResult whole = ut.forward(x);
        lossOf(whole.output(), whole.ponderCost()).backward();
        float[] expected = x.grad().data().clone();

        Tensor y = input(11).requiresGrad(true);
        UniversalTransformerOutput a = ut.forward(Reshaping.slice(y, 1, 0, 6), null);
        UniversalTransformerOutput b = ut.forward(Reshaping.slice(y, 1, 6, 11), a.state());
        Tensor output = Reshaping.concat(1, a.act().output(), b.act().output());
        Tensor ponder = Reshaping.concat(1, a.act().ponder(), b.act().ponder());
        lossOf(output, Reductions.mean(ponder)).backward();
        assertThat(relativeError(y.grad().data(), toDoubles(expected))).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void stateBytesRoundTripAndContinueIdentically() {
        UniversalTransformer ut = model();
        Tensor x = input(13);
        UniversalTransformerState state = ut.forward(Reshaping.slice(x, 1, 0, 9), null).state();
        UniversalTransformerState back = UniversalTransformerState.fromBytes(state.toBytes());
        assertThat(back.position()).isEqualTo(9);
        assertThat(back.depths()).hasSize(CONFIG.maxSteps());
        for (int n = 0; n < CONFIG.maxSteps(); n++) {
            assertThat(back.depths().get(n).keys().shape()).containsExactly(BATCH, 2, 9, 4);
            assertThat(back.depths().get(n).keys().data()).containsExactly(state.depths().get(n).keys().data());
            assertThat(back.depths().get(n).values().data())
                    .containsExactly(state.depths().get(n).values().data());
        }
        Tensor rest = Reshaping.slice(x, 1, 9, 13);
        assertThat(ut.forward(rest, back).act().output().data())
                .containsExactly(ut.forward(rest, state).act().output().data());
    }

    @Test
    void refusesStatesThatDoNotFit() {
        UniversalTransformer ut = model();
        UniversalTransformerState two = ut.forward(input(3), null).state();
        Tensor one = Tensor.randn(new Rng(1), 1f, 1, 2, CONFIG.width());
        assertThatThrownBy(() -> ut.forward(one, two)).isInstanceOf(RecurException.class)
                .hasMessageContaining("universal transformer").hasMessageContaining("[1, 2, 3, 4]")
                .hasMessageContaining("[2, 2, 3, 4]");

        UniversalTransformer shallow = UniversalTransformer.create(
                new UniversalTransformerConfig(8, 2, 16, 3, 0.01, 0f), new Rng(1));
        assertThatThrownBy(() -> shallow.forward(input(2), two)).isInstanceOf(RecurException.class)
                .hasMessageContaining("3 depth steps").hasMessageContaining("got 5");

        UniversalTransformer fourHeads = UniversalTransformer.create(
                new UniversalTransformerConfig(8, 4, 16, 5, 0.01, 0f), new Rng(1));
        assertThatThrownBy(() -> fourHeads.forward(input(2), two)).isInstanceOf(RecurException.class)
                .hasMessageContaining("[2, 4, 3, 2]").hasMessageContaining("[2, 2, 3, 4]");

        List<KvCache> mixed = new ArrayList<>(two.depths());
        mixed.set(2, new KvCache(Tensor.zeros(BATCH, 2, 2, 4), Tensor.zeros(BATCH, 2, 2, 4)));
        assertThatThrownBy(() -> new UniversalTransformerState(mixed, 3)).isInstanceOf(RecurException.class)
                .hasMessageContaining("depth step 3").hasMessageContaining("[2, 2, 2, 4]");
        assertThatThrownBy(() -> new UniversalTransformerState(two.depths(), 4)).isInstanceOf(RecurException.class)
                .hasMessageContaining("position 4 needs 4 cached tokens, got 3");
        assertThatThrownBy(() -> new UniversalTransformerState(List.of(), 0)).isInstanceOf(RecurException.class)
                .hasMessageContaining("got none");
        assertThatThrownBy(() -> ut.initialState(0)).hasMessageContaining("batch must be > 0, got 0");
        assertThatThrownBy(() -> ut.step(input(1), two)).isInstanceOf(RecurException.class)
                .hasMessageContaining("expected x [B, 8]").hasMessageContaining("[2, 1, 8]");
    }

    @Test
    void refusesMalformedStateBytes() {
        byte[] bytes = model().forward(input(3), null).state().toBytes();
        assertThatThrownBy(() -> UniversalTransformerState.fromBytes(Arrays.copyOf(bytes, bytes.length - 5)))
                .isInstanceOf(RecurException.class).hasMessageStartingWith("universal transformer state bytes");
        assertThatThrownBy(() -> UniversalTransformerState.fromBytes(new byte[] {1, 2, 3}))
                .isInstanceOf(RecurException.class).hasMessageStartingWith("universal transformer state bytes");
        byte[] other = new LmState(Map.of("layers.0.ssm", Tensor.zeros(1, 2, 2, 2)), 0).toBytes();
        assertThatThrownBy(() -> UniversalTransformerState.fromBytes(other)).isInstanceOf(RecurException.class)
                .hasMessageContaining("expected tensors [depth.1.keys, depth.1.values]")
                .hasMessageContaining("layers.0.ssm");
    }

    /** Outputs {@code [B, T, D]}, halting counts and ponder costs {@code [B, T]} of a stream, and its state. */
    private record Streamed(Tensor output, Tensor counts, Tensor ponder, UniversalTransformerState state) {}

    /** Steps through tokens {@code from..T-1} of {@code x}, starting from {@code state}. */
    private static Streamed stream(UniversalTransformer ut, Tensor x, int from, UniversalTransformerState state) {
        int steps = x.dim(1);
        int d = x.dim(2);
        List<Tensor> outputs = new ArrayList<>();
        List<Tensor> ponders = new ArrayList<>();
        List<Tensor> counts = new ArrayList<>();
        UniversalTransformerState s = state == null ? ut.initialState(BATCH) : state;
        for (int t = from; t < steps; t++) {
            UniversalTransformerOutput r = ut.step(Reshaping.reshape(Reshaping.slice(x, 1, t, t + 1), BATCH, d), s);
            assertThat(r.act().output().shape()).containsExactly(BATCH, d);
            outputs.add(Reshaping.reshape(r.act().output(), BATCH, 1, d));
            ponders.add(Reshaping.reshape(r.act().ponder(), BATCH, 1));
            counts.add(floats(r.act().haltingSteps().data(), BATCH));
            s = r.state();
            assertThat(s.position()).isEqualTo(t + 1);
        }
        return new Streamed(Reshaping.concat(1, outputs.toArray(new Tensor[0])),
                Reshaping.concat(1, counts.toArray(new Tensor[0])),
                Reshaping.concat(1, ponders.toArray(new Tensor[0])), s);
    }

    private static void assertSameResults(Streamed got, ActResult expected) {
        assertThat(ints(got.counts)).as("halting counts").containsExactly(expected.haltingSteps().data());
        assertThat(relativeError(got.output.data(), toDoubles(expected.output().data()))).as("outputs")
                .isLessThanOrEqualTo(TOLERANCE);
        assertThat(relativeError(got.ponder.data(), toDoubles(expected.ponder().data()))).as("ponder costs")
                .isLessThanOrEqualTo(TOLERANCE);
    }

    private static void assertSameState(UniversalTransformerState got, UniversalTransformerState expected) {
        assertThat(got.position()).isEqualTo(expected.position());
        assertThat(got.depths()).hasSize(expected.depths().size());
        for (int n = 0; n < expected.depths().size(); n++) {
            KvCache g = got.depths().get(n);
            KvCache e = expected.depths().get(n);
            assertThat(g.keys().shape()).containsExactly(e.keys().shape());
            assertThat(relativeError(g.keys().data(), toDoubles(e.keys().data()))).as("keys at depth %d", n + 1)
                    .isLessThanOrEqualTo(TOLERANCE);
            assertThat(relativeError(g.values().data(), toDoubles(e.values().data())))
                    .as("values at depth %d", n + 1).isLessThanOrEqualTo(TOLERANCE);
        }
    }

    /** A loss that weighs every output differently, plus the ponder cost. */
    private static Tensor lossOf(Tensor output, Tensor ponderCost) {
        float[] w = new float[output.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.sin(0.37 * i);
        }
        Tensor weighted = Arithmetic.mul(output, Tensor.of(w, output.shape()));
        return Arithmetic.add(Reductions.sum(weighted), ponderCost);
    }

    /** Largest absolute difference over the largest reference magnitude. */
    static double relativeError(float[] got, double[] expected) {
        assertThat(got).hasSameSizeAs(expected);
        double diff = 0;
        double scale = 1e-12;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(got[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return diff / scale;
    }

    static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static double[] doubles(Tensor t) {
        return toDoubles(t.data());
    }

    /** The parameters in {@link UniversalTransformer#parameters()} order, as {@link ActTwin} takes them. */
    static double[][] weights(UniversalTransformer ut) {
        return ut.parameters().values().stream().map(t -> toDoubles(t.data())).toArray(double[][]::new);
    }

    /** Halting counts {@code [B, T]} (flat, batch-major) as a float tensor, to concatenate along time. */
    private static Tensor floats(int[] counts, int batch) {
        float[] f = new float[counts.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = counts[i];
        }
        return Tensor.of(f, batch, counts.length / batch);
    }

    private static int[] ints(Tensor counts) {
        int[] n = new int[counts.size()];
        for (int i = 0; i < n.length; i++) {
            n[i] = Math.round(counts.data()[i]);
        }
        return n;
    }
}
