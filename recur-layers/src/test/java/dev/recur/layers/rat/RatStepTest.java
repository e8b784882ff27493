package dev.recur.layers.rat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.attention.AttentionConfig;
import dev.recur.layers.attention.CausalAttention;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The RAT layer's streaming contract: the token-by-token step loop and a forward split anywhere (state passed
 * across) equal the whole forward, for chunk lengths that do and do not divide the cut points; the state holds
 * one key/value per completed chunk plus the running state (about L times less than attention's cache) and
 * survives a bytes round trip; bad input is refused with the layer's name.
 */
class RatStepTest {
    private static final int BATCH = 2;
    private static final int STEPS = 23;
    private static final int D_MODEL = 10;

    @ParameterizedTest(name = "L={0}")
    @CsvSource({"1", "3", "4", "23", "50"})
    void stepLoopEqualsForward(int chunkLen) {
        RatLayer layer = new RatLayer(new RatConfig(D_MODEL, 2, 4, chunkLen), new Rng(7));
        Tensor x = Tensor.randn(new Rng(8), 1f, BATCH, STEPS, D_MODEL);
        RatOutput whole = layer.forward(x, null);
        RatState state = layer.initialState(BATCH);
        List<Tensor> outs = new ArrayList<>();
        for (int t = 0; t < STEPS; t++) {
            RatOutput r = layer.step(Reshaping.reshape(Reshaping.slice(x, 1, t, t + 1), BATCH, D_MODEL), state);
            outs.add(Reshaping.reshape(r.output(), BATCH, 1, D_MODEL));
            state = r.state();
        }
        assertThat(relativeError(Reshaping.concat(1, outs.toArray(new Tensor[0])), whole.output()))
                .isLessThanOrEqualTo(1e-5);
        assertSameState(state, whole.state());
    }

    @ParameterizedTest(name = "L={0}")
    @CsvSource({"1", "3", "5", "30"})
    void splitForwardEqualsWhole(int chunkLen) {
        RatLayer layer = new RatLayer(new RatConfig(D_MODEL, 2, 3, chunkLen), new Rng(11));
        Tensor x = Tensor.randn(new Rng(12), 1f, BATCH, STEPS, D_MODEL);
        RatOutput whole = layer.forward(x, null);
        for (int[] cuts : new int[][] {{1}, {3}, {5, 6}, {3, 9, 15}, {22}}) {
            List<Tensor> pieces = new ArrayList<>();
            RatState state = null;
            int start = 0;
            for (int i = 0; i <= cuts.length; i++) {
                int end = i < cuts.length ? cuts[i] : STEPS;
                RatOutput r = layer.forward(Reshaping.slice(x, 1, start, end), state);
                pieces.add(r.output());
                state = r.state();
                start = end;
            }
            assertThat(relativeError(Reshaping.concat(1, pieces.toArray(new Tensor[0])), whole.output()))
                    .as("cuts %s", Arrays.toString(cuts)).isLessThanOrEqualTo(1e-5);
            assertSameState(state, whole.state());
        }
    }

    @Test
    void longPrefillThenStepsMatchesOneForward() {
        int steps = 1024;
        int prefill = 1000;
        RatLayer layer = new RatLayer(new RatConfig(D_MODEL, 2, 4, 16), new Rng(31));
        Tensor x = Tensor.randn(new Rng(32), 1f, 1, steps, D_MODEL);
        RatOutput whole = layer.forward(x, null);
        RatOutput head = layer.forward(Reshaping.slice(x, 1, 0, prefill), null);
        List<Tensor> outs = new ArrayList<>(List.of(head.output()));
        RatState state = head.state();
        for (int t = prefill; t < steps; t++) {
            RatOutput r = layer.step(Reshaping.reshape(Reshaping.slice(x, 1, t, t + 1), 1, D_MODEL), state);
            outs.add(Reshaping.reshape(r.output(), 1, 1, D_MODEL));
            state = r.state();
        }
        assertThat(relativeError(Reshaping.concat(1, outs.toArray(new Tensor[0])), whole.output()))
                .isLessThanOrEqualTo(1e-4);
        assertSameState(state, whole.state());
    }

    @Test
    void stateHoldsOneEntryPerChunkAndIsLTimesSmallerThanAKvCache() {
        int heads = 2;
        int headDim = 4;
        int steps = 64;
        int chunkLen = 8;
        int e = heads * headDim;
        RatLayer layer = new RatLayer(new RatConfig(D_MODEL, heads, headDim, chunkLen), new Rng(3));
        RatState state = layer.forward(Tensor.randn(new Rng(4), 1f, BATCH, steps, D_MODEL), null).state();
        assertThat(state.chunks()).isEqualTo(steps / chunkLen);
        assertThat(state.position()).isEqualTo(steps);
        assertThat(state.floatCount()).isEqualTo(2L * BATCH * e * (steps / chunkLen + 1));

        AttentionConfig ac = new AttentionConfig(heads, heads, headDim, 0, 10000.0, 0);
        Tensor qkv = Tensor.randn(new Rng(5), 1f, BATCH, steps, e);
        var kv = CausalAttention.forward(ac, qkv, qkv, qkv, null, 0).cache();
        long kvFloats = (long) kv.keys().size() + kv.values().size();
        long chunkFloats = (long) state.chunkKeys().size() + state.chunkValues().size();
        assertThat(chunkFloats * chunkLen).isEqualTo(kvFloats);
        assertThat(state.floatCount() - chunkFloats).isEqualTo(2L * BATCH * e); // the running state
    }

    @Test
    void stateSurvivesBytesAndTheStreamContinuesIdentically() {
        RatLayer layer = new RatLayer(new RatConfig(D_MODEL, 2, 3, 4), new Rng(21));
        Tensor x = Tensor.randn(new Rng(22), 1f, BATCH, STEPS, D_MODEL);
        RatState state = layer.forward(Reshaping.slice(x, 1, 0, 10), null).state();
        RatState restored = RatState.fromBytes(state.toBytes());
        assertSameState(restored, state);
        Tensor rest = Reshaping.slice(x, 1, 10, STEPS);
        assertThat(layer.forward(rest, restored).output().data())
                .isEqualTo(layer.forward(rest, state).output().data());
    }

    @Test
    void badInputIsRefusedWithTheLayerNamed() {
        RatLayer layer = new RatLayer(new RatConfig(D_MODEL, 2, 3, 4), new Rng(1));
        assertThatThrownBy(() -> layer.forward(Tensor.zeros(1, 3, D_MODEL + 1), null))
                .isInstanceOf(RecurException.class).hasMessageContaining("RAT").hasMessageContaining("[1, 3, 11]");
        assertThatThrownBy(() -> layer.step(Tensor.zeros(1, 2, D_MODEL), null))
                .isInstanceOf(RecurException.class).hasMessageContaining("RAT");
        RatState afterFive = layer.forward(Tensor.zeros(1, 5, D_MODEL), null).state();
        RatState wrongCache = new RatState(afterFive.chunkKeys(), afterFive.chunkValues(), afterFive.running(), 9);
        assertThatThrownBy(() -> layer.forward(Tensor.zeros(1, 1, D_MODEL), wrongCache))
                .isInstanceOf(RecurException.class).hasMessageContaining("rat").hasMessageContaining("position 9");
        assertThatThrownBy(() -> layer.forward(Tensor.zeros(2, 1, D_MODEL), afterFive))
                .isInstanceOf(RecurException.class).hasMessageContaining("rat");
        byte[] bytes = afterFive.toBytes();
        assertThatThrownBy(() -> RatState.fromBytes(Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(RecurException.class).hasMessageContaining("rat state bytes");
        byte[] huge = bytes.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putInt(12, Integer.MAX_VALUE)
                .putInt(16, Integer.MAX_VALUE).putInt(20, Integer.MAX_VALUE).putInt(24, Integer.MAX_VALUE);
        assertThatThrownBy(() -> RatState.fromBytes(huge))
                .isInstanceOf(RecurException.class).hasMessageContaining("too large");
        bytes[0] ^= 1;
        assertThatThrownBy(() -> RatState.fromBytes(bytes))
                .isInstanceOf(RecurException.class).hasMessageContaining("magic");
        assertThatThrownBy(() -> new RatConfig(8, 2, 4, 0))
                .isInstanceOf(RecurException.class).hasMessageContaining("chunkLen");
    }

    private static void assertSameState(RatState got, RatState expected) {
        assertThat(got.position()).isEqualTo(expected.position());
        assertThat(got.chunkKeys().shape()).isEqualTo(expected.chunkKeys().shape());
        assertThat(relativeError(got.chunkKeys(), expected.chunkKeys())).isLessThanOrEqualTo(1e-5);
        assertThat(relativeError(got.chunkValues(), expected.chunkValues())).isLessThanOrEqualTo(1e-5);
        assertThat(relativeError(got.running(), expected.running())).isLessThanOrEqualTo(1e-5);
    }

    private static double relativeError(Tensor got, Tensor expected) {
        assertThat(got.shape()).isEqualTo(expected.shape());
        double diff = 0;
        double scale = 1e-12;
        for (int i = 0; i < expected.size(); i++) {
            diff = Math.max(diff, Math.abs(got.data()[i] - expected.data()[i]));
            scale = Math.max(scale, Math.abs(expected.data()[i]));
        }
        return diff / scale;
    }
}
