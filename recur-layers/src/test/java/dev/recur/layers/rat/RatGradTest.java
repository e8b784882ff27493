package dev.recur.layers.rat;

import static dev.recur.core.testing.GradCheck.in;

import dev.recur.core.ops.Reshaping;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RAT's mixer against {@link RatTwin} (double precision, token by token), with central differences for the
 * queries, keys, values, forget gates and, mid-stream, the incoming chunk cache and running state: outputs and
 * the state after the chunk are compared, over chunk lengths from 1 (attention) to past T (pure recurrence).
 */
class RatGradTest {
    @ParameterizedTest(name = "B={0} T={1} heads={2} hd={3} L={4}")
    @CsvSource({"2, 7, 2, 3, 3", "1, 5, 1, 4, 1", "1, 6, 2, 2, 2", "2, 4, 1, 3, 8", "1, 1, 2, 2, 3"})
    void fromTheStartMatchesDoubleTwin(int batch, int steps, int heads, int hd, int chunkLen) {
        RatConfig c = new RatConfig(4, heads, hd, chunkLen);
        int e = heads * hd;
        GradCheck.of("rat").check(t -> flatten(RatMixer.forward(c, t[0], t[1], t[2], t[3], null), batch),
                d -> RatTwin.forward(batch, steps, heads, hd, chunkLen, 0, d[0], d[1], d[2], d[3], new double[0],
                        new double[0], new double[batch * 2 * e]),
                in(batch, steps, e), in(batch, steps, e), in(batch, steps, e), in(0.05, 0.95, batch, steps, e));
    }

    @ParameterizedTest(name = "B={0} T={1} heads={2} hd={3} L={4} start={5}")
    @CsvSource({"2, 5, 2, 2, 3, 7", "1, 4, 1, 3, 2, 4", "1, 3, 2, 2, 1, 3", "2, 6, 1, 2, 4, 9"})
    void midStreamMatchesDoubleTwin(int batch, int steps, int heads, int hd, int chunkLen, int start) {
        RatConfig c = new RatConfig(4, heads, hd, chunkLen);
        int e = heads * hd;
        int cached = start / chunkLen;
        GradCheck.of("rat").check(t -> {
            RatState state = new RatState(t[4], t[5], t[6], start);
            return flatten(RatMixer.forward(c, t[0], t[1], t[2], t[3], state), batch);
        }, d -> RatTwin.forward(batch, steps, heads, hd, chunkLen, start, d[0], d[1], d[2], d[3], d[4], d[5], d[6]),
                in(batch, steps, e), in(batch, steps, e), in(batch, steps, e), in(0.05, 0.95, batch, steps, e),
                in(batch, heads, cached, hd), in(batch, heads, cached, hd), in(batch, 2 * e));
    }

    /** Per stream: the output, the chunk keys and values, the running state, as the twin lays them out. */
    private static Tensor flatten(RatMixer.Result r, int batch) {
        RatState s = r.state();
        return Reshaping.concat(1, Reshaping.reshape(r.output(), batch, -1),
                Reshaping.reshape(s.chunkKeys(), batch, -1), Reshaping.reshape(s.chunkValues(), batch, -1),
                s.running());
    }
}
