package dev.recur.train.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.LmState;
import dev.recur.layers.registry.ByteModel;
import dev.recur.layers.stack.StackConfig;
import dev.recur.layers.stack.StackLm;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamStatesTest {
    @TempDir
    Path dir;

    static LmState randomLike(LmState s, long seed) {
        Rng rng = new Rng(seed);
        Map<String, Tensor> m = new LinkedHashMap<>();
        s.tensors().forEach((k, v) -> m.put(k, Tensor.randn(rng, 1f, v.shape())));
        return new LmState(m, 9);
    }

    /** Resets row 1 of 3 in LSTM ([layers, B, H]) and Mamba ([B, ...]) layouts, checked element by element. */
    @Test
    void resetsExactlyTheFlaggedRowsWhateverTheBatchAxis() throws Exception {
        CausalLm lstm = ByteModel.lstm(4, 5, 2).create(dir.resolve("lstm"), new Rng(1));
        CausalLm mamba = ByteModel.mamba(8, 2, 4).create(dir.resolve("mamba"), new Rng(1));
        check(lstm, 1);
        check(mamba, 0);
    }

    private static void check(CausalLm lm, int batchAxis) {
        LmState state = randomLike(lm.initialState(3), 5);
        LmState out = StreamStates.reset(lm, state, new boolean[] {false, true, false});
        assertThat(out.position()).isEqualTo(9);
        for (Map.Entry<String, Tensor> e : state.tensors().entrySet()) {
            int[] shape = e.getValue().shape();
            float[] before = e.getValue().data();
            float[] after = out.tensor(e.getKey()).data();
            int[] index = new int[shape.length];
            for (int flat = 0; flat < before.length; flat++) {
                int rem = flat;
                for (int d = shape.length - 1; d >= 0; d--) {
                    index[d] = rem % shape[d];
                    rem /= shape[d];
                }
                float want = index[batchAxis] == 1 ? 0f : before[flat];
                assertThat(after[flat]).as("%s at %d", e.getKey(), flat).isEqualTo(want);
            }
        }
        assertThat(StreamStates.reset(lm, state, new boolean[3])).isSameAs(state);
    }

    /**
     * An attention cache grows with the tokens, so after any forward the state is not carried: every row, reset or
     * not, starts the next batch from the initial (empty) cache, while a recurrent stack keeps its unflagged rows.
     */
    @Test
    void aGrowingCacheIsNotCarriedAcrossBatches() {
        CausalLm attention = StackLm.create(StackConfig.of("gdn,attn(heads=2)", 16, 8, 0), new Rng(3));
        LmState after = attention.forward(IntTensor.of(new int[] {1, 2, 3, 4, 5, 6}, 2, 3), null).state();
        LmState next = StreamStates.reset(attention, after, new boolean[] {false, true});
        LmState initial = attention.initialState(2);
        for (Map.Entry<String, Tensor> e : initial.tensors().entrySet()) {
            assertThat(next.tensor(e.getKey()).shape()).isEqualTo(e.getValue().shape());
            assertThat(next.tensor(e.getKey()).data()).containsExactly(e.getValue().data());
        }
        LmState unflagged = StreamStates.reset(attention, after, new boolean[2]);
        initial.tensors().forEach((name, t) -> assertThat(unflagged.tensor(name).shape()).isEqualTo(t.shape()));
        CausalLm recurrent = StackLm.create(StackConfig.of("gdn", 16, 8, 0), new Rng(3));
        LmState carried = recurrent.forward(IntTensor.of(new int[] {1, 2, 3, 4, 5, 6}, 2, 3), null).state();
        assertThat(StreamStates.reset(recurrent, carried, new boolean[2])).isSameAs(carried);
    }
}
