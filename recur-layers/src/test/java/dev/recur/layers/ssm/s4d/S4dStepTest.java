package dev.recur.layers.ssm.s4d;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Convolution mode = recurrent mode = the double twin; split forwards and chunked prefill; state bytes. */
class S4dStepTest {
    private static double relErr(Tensor a, Tensor b) {
        double[] ref = new double[b.size()];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = b.data()[i];
        }
        return GradCheck.relativeError(a.data(), ref);
    }

    private static Tensor[] stepLoop(S4dLayer layer, Tensor u, S4dState state) {
        int steps = u.dim(1);
        float[] y = new float[u.size()];
        int batch = u.dim(0);
        int h = u.dim(2);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (int t = 0; t < steps; t++) {
                S4dOutput o = layer.step(Reshaping.squeeze(Reshaping.slice(u, 1, t, t + 1), 1), state);
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(o.output().data(), b * h, y, (b * steps + t) * h, h);
                }
                state = o.state();
            }
        }
        return new Tensor[] {Tensor.of(y, u.shape()), state.re(), state.im()};
    }

    @Test
    void convolutionModeEqualsTheStepLoopAtT4096() {
        int batch = 2;
        int steps = 4096;
        int h = 3;
        for (S4dInit init : new S4dInit[] {S4dInit.LIN, S4dInit.LEGS}) {
            for (Discretization method : Discretization.values()) {
                S4dLayer layer = new S4dLayer(new S4dConfig(h, 16, init, method, 0.001, 0.1), new Rng(7));
                Tensor u = Tensor.randn(new Rng(8), 1f, batch, steps, h);
                S4dOutput conv;
                try (GradMode.Scope ignored = GradMode.noGrad()) {
                    conv = layer.forward(u, layer.initialState(batch));
                }
                Tensor[] rec = stepLoop(layer, u, layer.initialState(batch));
                String what = init + " " + method;
                assertThat(relErr(conv.output(), rec[0])).as(what + " output").isLessThanOrEqualTo(1e-4);
                assertThat(relErr(conv.state().re(), rec[1])).as(what + " state re").isLessThanOrEqualTo(1e-4);
                assertThat(relErr(conv.state().im(), rec[2])).as(what + " state im").isLessThanOrEqualTo(1e-4);
            }
        }
    }

    @Test
    void forwardMatchesTheDoubleTwinFromANonZeroState() {
        int batch = 2;
        int steps = 63;
        int h = 7;
        int m = 4;
        S4dLayer layer = new S4dLayer(new S4dConfig(h, 2 * m, S4dInit.INV, Discretization.ZOH, 0.001, 0.1),
                new Rng(3));
        Tensor u = Tensor.randn(new Rng(4), 1f, batch, steps, h);
        S4dState s0 = new S4dState(Tensor.randn(new Rng(5), 1f, batch, h, m), Tensor.randn(new Rng(6), 1f, batch, h, m));
        S4dOutput out = layer.forward(u, s0);
        double[] twin = S4dTwin.run(Discretization.ZOH, batch, steps, h, m, d(u), d(layer.parameter("log_dt")),
                d(layer.parameter("log_neg_a_real")), d(layer.parameter("a_imag")), d(layer.parameter("c_real")),
                d(layer.parameter("c_imag")), d(layer.parameter("d")), d(layer.inputVector()[0]),
                d(layer.inputVector()[1]), d(s0.re()), d(s0.im()));
        int n = batch * steps * h;
        int s = batch * h * m;
        assertThat(GradCheck.relativeError(out.output().data(), Arrays.copyOf(twin, n))).isLessThan(1e-5);
        assertThat(GradCheck.relativeError(out.state().re().data(), Arrays.copyOfRange(twin, n, n + s)))
                .isLessThan(1e-5);
        assertThat(GradCheck.relativeError(out.state().im().data(), Arrays.copyOfRange(twin, n + s, n + 2 * s)))
                .isLessThan(1e-5);
    }

    @Test
    void aForwardSplitAnywhereEqualsTheWhole() {
        int batch = 2;
        int steps = 257;
        int h = 5;
        S4dLayer layer = new S4dLayer(new S4dConfig(h, 8, S4dInit.LEGT, Discretization.BILINEAR, 0.001, 0.1),
                new Rng(11));
        Tensor u = Tensor.randn(new Rng(12), 1f, batch, steps, h);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            S4dOutput whole = layer.forward(u, layer.initialState(batch));
            for (int cut : new int[] {1, 63, 128, 256}) {
                S4dOutput first = layer.forward(Reshaping.slice(u, 1, 0, cut), layer.initialState(batch));
                S4dState carried = S4dState.fromBytes(first.state().toBytes());
                S4dOutput second = layer.forward(Reshaping.slice(u, 1, cut, steps), carried);
                Tensor joined = Reshaping.concat(1, first.output(), second.output());
                assertThat(relErr(joined, whole.output())).as("cut at %d", cut).isLessThanOrEqualTo(1e-5);
                assertThat(relErr(second.state().re(), whole.state().re())).as("cut %d re", cut).isLessThan(1e-5);
                assertThat(relErr(second.state().im(), whole.state().im())).as("cut %d im", cut).isLessThan(1e-5);
            }
        }
    }

    @Test
    void chunkedPrefillThenStepsEqualsTheWholeForward() {
        int batch = 3;
        int steps = 100;
        int h = 4;
        S4dLayer layer = new S4dLayer(new S4dConfig(h, 32, S4dInit.FOUT, Discretization.ZOH, 0.001, 0.1),
                new Rng(21));
        Tensor u = Tensor.randn(new Rng(22), 1f, batch, steps, h);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            S4dOutput whole = layer.forward(u, layer.initialState(batch));
            S4dState state = layer.initialState(batch);
            Tensor[] parts = new Tensor[4];
            int[] cuts = {0, 17, 50, 80, steps};
            for (int c = 0; c < 3; c++) {
                S4dOutput o = layer.forward(Reshaping.slice(u, 1, cuts[c], cuts[c + 1]), state);
                parts[c] = o.output();
                state = o.state();
            }
            Tensor[] tail = stepLoop(layer, Reshaping.slice(u, 1, cuts[3], steps), state);
            parts[3] = tail[0];
            assertThat(relErr(Reshaping.concat(1, parts), whole.output())).isLessThanOrEqualTo(1e-5);
            assertThat(relErr(tail[1], whole.state().re())).isLessThanOrEqualTo(1e-5);
        }
    }

    @Test
    void theNoGradStepEqualsTheDifferentiableStep() {
        S4dLayer layer = new S4dLayer(new S4dConfig(7, 12, S4dInit.LEGS, Discretization.BILINEAR, 0.001, 0.1),
                new Rng(31));
        Tensor u = Tensor.randn(new Rng(32), 1f, 3, 7);
        S4dState s = new S4dState(Tensor.randn(new Rng(33), 1f, 3, 7, 6), Tensor.randn(new Rng(34), 1f, 3, 7, 6));
        S4dOutput tracked = layer.step(u, s);
        S4dOutput plain;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            plain = layer.step(u, s);
        }
        assertThat(relErr(plain.output(), tracked.output())).isLessThan(1e-6);
        assertThat(relErr(plain.state().re(), tracked.state().re())).isLessThan(1e-6);
        assertThat(relErr(plain.state().im(), tracked.state().im())).isLessThan(1e-6);
    }

    @Test
    void stateBytesRoundTripAndBadBytesAreRefused() {
        S4dState s = new S4dState(Tensor.randn(new Rng(1), 1f, 2, 3, 4), Tensor.randn(new Rng(2), 1f, 2, 3, 4));
        byte[] bytes = s.toBytes();
        S4dState back = S4dState.fromBytes(bytes);
        assertThat(back.re().data()).containsExactly(s.re().data());
        assertThat(back.im().data()).containsExactly(s.im().data());
        assertThat(back.re().shape()).containsExactly(2, 3, 4);
        assertThatThrownBy(() -> S4dState.fromBytes(Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(RecurException.class).hasMessageContaining("needs " + bytes.length);
        byte[] bad = bytes.clone();
        bad[0] = 'X';
        assertThatThrownBy(() -> S4dState.fromBytes(bad)).isInstanceOf(RecurException.class)
                .hasMessageContaining("S4DS");
        S4dLayer layer = new S4dLayer(S4dConfig.of(3, 6), new Rng(1));
        assertThatThrownBy(() -> layer.forward(Tensor.zeros(2, 5, 3), s)).isInstanceOf(RecurException.class)
                .hasMessageContaining("state").hasMessageContaining("[2, 3, 3]").hasMessageContaining("[2, 3, 4]");
    }

    @Test
    void sameSeedSameBits() {
        S4dLayer a = new S4dLayer(S4dConfig.of(4, 8), new Rng(5));
        S4dLayer b = new S4dLayer(S4dConfig.of(4, 8), new Rng(5));
        Tensor u = Tensor.randn(new Rng(6), 1f, 2, 33, 4);
        assertThat(a.forward(u, a.initialState(2)).output().data())
                .containsExactly(b.forward(u, b.initialState(2)).output().data());
    }

    private static double[] d(Tensor t) {
        double[] x = new double[t.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = t.data()[i];
        }
        return x;
    }
}
