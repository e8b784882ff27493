package dev.recur.layers.rat;

import static dev.recur.core.testing.GradCheck.in;

import dev.recur.core.ops.Reshaping;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RAT's mixer against {@link RatTwin} (double precision, token by token), with central differences for the
 * queries, keys, values, forget gates and, mid-stream, the incoming chunk cache and running state: outputs and
 * the state after the chunk are compared, over chunk lengths from 1 (attention) to past T (pure recurrence);
 * then the whole layer (projections, forget gate with bias, output gate) with every parameter's gradient.
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

    @ParameterizedTest(name = "B={0} T={1} heads={2} hd={3} L={4} D={5}")
    @CsvSource({"2, 6, 2, 2, 3, 3", "1, 5, 1, 3, 2, 4"})
    void layerMatchesDoubleTwin(int batch, int steps, int heads, int hd, int chunkLen, int dModel) {
        RatConfig c = new RatConfig(dModel, heads, hd, chunkLen);
        int e = heads * hd;
        String[] names = {"wq", "wk", "wv", "wf", "bf", "wg", "wo"};
        GradCheck.of("rat layer").check(t -> {
            Map<String, Tensor> params = new LinkedHashMap<>();
            for (int i = 0; i < names.length; i++) {
                params.put(names[i], t[i + 1]);
            }
            return RatLayer.fromParameters(c, params).forward(t[0], null).output();
        }, d -> layerTwin(d, batch, steps, heads, hd, chunkLen, dModel),
                in(batch, steps, dModel), in(dModel, e), in(dModel, e), in(dModel, e), in(dModel, e), in(e),
                in(dModel, e), in(e, dModel));
    }

    /** {@code y = (sigmoid(x W_g) * mixer(x W_q, x W_k, x W_v, sigmoid(x W_f + b_f))) W_o}, in double. */
    private static double[] layerTwin(double[][] d, int batch, int steps, int heads, int hd, int chunkLen,
                                      int dModel) {
        int e = heads * hd;
        int rows = batch * steps;
        double[] q = project(d[0], d[1], null, rows, dModel, e);
        double[] k = project(d[0], d[2], null, rows, dModel, e);
        double[] v = project(d[0], d[3], null, rows, dModel, e);
        double[] f = project(d[0], d[4], d[5], rows, dModel, e);
        double[] g = project(d[0], d[6], null, rows, dModel, e);
        for (int i = 0; i < f.length; i++) {
            f[i] = 1 / (1 + Math.exp(-f[i]));
            g[i] = 1 / (1 + Math.exp(-g[i]));
        }
        double[] mixed = RatTwin.forward(batch, steps, heads, hd, chunkLen, 0, q, k, v, f, new double[0],
                new double[0], new double[batch * 2 * e]);
        int rowLength = mixed.length / batch;
        double[] gated = new double[rows * e];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < steps * e; i++) {
                gated[b * steps * e + i] = g[b * steps * e + i] * mixed[b * rowLength + i];
            }
        }
        return project(gated, d[7], null, rows, e, dModel);
    }

    /** {@code x [rows, in] W [in, out] (+ bias [out])}. */
    private static double[] project(double[] x, double[] w, double[] bias, int rows, int in, int out) {
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double s = bias == null ? 0 : bias[o];
                for (int i = 0; i < in; i++) {
                    s += x[r * in + i] * w[i * out + o];
                }
                y[r * out + o] = s;
            }
        }
        return y;
    }

    /** Per stream: the output, the chunk keys and values, the running state, as the twin lays them out. */
    private static Tensor flatten(RatMixer.Result r, int batch) {
        RatState s = r.state();
        return Reshaping.concat(1, Reshaping.reshape(r.output(), batch, -1),
                Reshaping.reshape(s.chunkKeys(), batch, -1), Reshaping.reshape(s.chunkValues(), batch, -1),
                s.running());
    }
}
