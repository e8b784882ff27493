package dev.recur.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Chunking does not change the convolution: a forward split in two at any point with the state passed across,
 * and a token-by-token step loop, equal the forward in one piece, bit for bit (each output sums the same terms in
 * the same order). Gradients through the split equal those of the whole.
 */
class CausalConv1dStepTest {
    private static final int B = 2;
    private static final int T = 11;
    private static final int C = 5;
    private static final int K = 4;

    private static float[] slice(float[] x, int from, int to) {
        float[] s = new float[B * (to - from) * C];
        for (int b = 0; b < B; b++) {
            System.arraycopy(x, (b * T + from) * C, s, b * (to - from) * C, (to - from) * C);
        }
        return s;
    }

    private static void place(float[] part, int from, int to, float[] into) {
        for (int b = 0; b < B; b++) {
            System.arraycopy(part, b * (to - from) * C, into, (b * T + from) * C, (to - from) * C);
        }
    }

    @Test
    void splitAtEveryPointEqualsWhole() {
        Rng rng = new Rng(7);
        Tensor x = Tensor.randn(rng, 1f, B, T, C);
        Tensor w = Tensor.randn(rng, 1f, C, K);
        Tensor bias = Tensor.randn(rng, 1f, C);
        Tensor s0 = Tensor.randn(rng, 1f, B, K - 1, C);
        CausalConv1d.Result whole = CausalConv1d.forward(x, w, bias, s0);
        for (int split = 0; split <= T; split++) {
            CausalConv1d.Result first = CausalConv1d.forward(Tensor.of(slice(x.data(), 0, split), B, split, C),
                    w, bias, s0);
            CausalConv1d.Result second = CausalConv1d.forward(Tensor.of(slice(x.data(), split, T), B, T - split, C),
                    w, bias, first.state());
            float[] joined = new float[B * T * C];
            place(first.output().data(), 0, split, joined);
            place(second.output().data(), split, T, joined);
            assertThat(joined).as("output split at %d", split).containsExactly(whole.output().data());
            assertThat(second.state().data()).as("state split at %d", split).containsExactly(whole.state().data());
        }
    }

    @Test
    void stepLoopEqualsWhole() {
        Rng rng = new Rng(8);
        Tensor x = Tensor.randn(rng, 1f, B, T, C);
        Tensor w = Tensor.randn(rng, 1f, C, K);
        CausalConv1d.Result whole = CausalConv1d.forward(x, w, null, null);
        Tensor state = CausalConv1d.initialState(B, w);
        float[] joined = new float[B * T * C];
        for (int t = 0; t < T; t++) {
            CausalConv1d.Result r = CausalConv1d.step(Tensor.of(slice(x.data(), t, t + 1), B, C), w, null, state);
            place(r.output().data(), t, t + 1, joined);
            state = r.state();
        }
        assertThat(joined).containsExactly(whole.output().data());
        assertThat(state.data()).containsExactly(whole.state().data());
    }

    @Test
    void gradientsThroughTheSplitEqualThoseOfTheWhole() {
        Rng rng = new Rng(9);
        float[] xd = Tensor.randn(rng, 1f, B, T, C).data();
        float[] g = Tensor.randn(rng, 1f, B, T, C).data();
        Tensor w = Tensor.randn(rng, 1f, C, K).requiresGrad(true);
        Tensor s0 = Tensor.randn(rng, 1f, B, K - 1, C).requiresGrad(true);
        Tensor x = Tensor.of(xd.clone(), B, T, C).requiresGrad(true);
        CausalConv1d.forward(x, w, null, s0).output().backward(g);
        float[] gx = x.grad().data();
        float[] gw = w.grad().data().clone();
        float[] gs = s0.grad().data().clone();
        w.zeroGrad();
        s0.zeroGrad();

        int split = 5;
        Tensor x1 = Tensor.of(slice(xd, 0, split), B, split, C).requiresGrad(true);
        Tensor x2 = Tensor.of(slice(xd, split, T), B, T - split, C).requiresGrad(true);
        CausalConv1d.Result first = CausalConv1d.forward(x1, w, null, s0);
        CausalConv1d.Result second = CausalConv1d.forward(x2, w, null, first.state());
        first.output().backward(slice(g, 0, split));
        // Reaches the first chunk again through its state output.
        second.output().backward(slice(g, split, T));
        float[] gxSplit = new float[B * T * C];
        place(x1.grad().data(), 0, split, gxSplit);
        place(x2.grad().data(), split, T, gxSplit);
        assertClose(gx, gxSplit);
        assertClose(gw, w.grad().data());
        assertClose(gs, s0.grad().data());
    }

    private static void assertClose(float[] expected, float[] got) {
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(got[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5f));
        }
    }
}
