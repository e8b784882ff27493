package dev.recur.core.scan.gla;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.RecurException;
import dev.recur.core.kernel.KernelMode;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Gated linear attention (GLA; Yang, Wang, Shen, Panda and Kim 2024, "Gated Linear Attention Transformers with
 * Hardware-Efficient Training"), as a differentiable op and a one-token step. Per batch entry and head, with
 * the state {@code S [K, V]} and a data-dependent decay {@code alpha_t in (0, 1)^K} per key dimension:
 * <pre>
 *   S_t = diag(alpha_t) S_{t-1} + k_t v_t^T
 *   o_t = S_t^T (scale * q_t)
 * </pre>
 * The decay is given as its logarithm ({@code logDecay = log alpha_t <= 0}, e.g. {@code logsigmoid(x) / tau}).
 *
 * <p>Shapes, batch-first: {@code q}, {@code k}, {@code logDecay} {@code [B, T, H, K]}; {@code v}
 * {@code [B, T, H, V]}; {@code h0} {@code [B, H, K, V]} or null for zeros. Returns a {@link ScanOutput}: the output
 * {@code o [B, T, H, V]} and the state {@code hT [B, H, K, V]}. Vector mode runs {@link GlaChunked}, reference mode
 * {@link GlaReference}; both backwards recompute states from the inputs, so nothing is kept between forward and
 * backward but the inputs.
 */
public final class Gla {
    private static final String OP = "gla";
    private static final GlaKernel REFERENCE = new GlaReference();
    private static final GlaKernel CHUNKED = new GlaChunked();

    private Gla() {}

    /** The kernel a mode selects: the sequential reference, or the chunked kernel. */
    public static GlaKernel kernel(KernelMode mode) {
        return mode == KernelMode.REFERENCE ? REFERENCE : CHUNKED;
    }

    /** The scan with the current mode's kernel. */
    public static ScanOutput apply(Tensor q, Tensor k, Tensor v, Tensor logDecay, Tensor h0, float scale) {
        return apply(kernel(KernelMode.current()), q, k, v, logDecay, h0, scale);
    }

    /** The scan with a given kernel (tests compare kernels through this). */
    public static ScanOutput apply(GlaKernel kernel, Tensor q, Tensor k, Tensor v, Tensor logDecay, Tensor h0,
                                 float scale) {
        require(OP, "logDecay", logDecay);
        return ScanOutput.of(scan(OP, kernel, q, k, v, logDecay, h0, scale));
    }

    /**
     * One token, for streaming inference (no autograd): {@code q}, {@code k}, {@code logDecay} {@code [B, H, K]},
     * {@code v [B, H, V]}, {@code state [B, H, K, V]}. Returns a {@link ScanOutput}: the output {@code o [B, H, V]} and
     * the state {@code newState}, the reference forward over one step.
     */
    public static ScanOutput step(Tensor q, Tensor k, Tensor v, Tensor logDecay, Tensor state, float scale) {
        require(OP + ".step", "logDecay", logDecay);
        return ScanOutput.of(stepOf(OP + ".step", q, k, v, logDecay, state, scale));
    }

    /** The op shared by {@link Gla} and {@link LinearAttention}; {@code logDecay} may be null. */
    static Tensor[] scan(String op, GlaKernel kernel, Tensor q, Tensor k, Tensor v, Tensor logDecay, Tensor h0,
                         float scale) {
        GlaInputs in = inputs(op, q, k, v, logDecay, h0, scale);
        float[] o = new float[v.size()];
        float[] hT = new float[in.stateSize()];
        kernel.forward(in, o, hT);
        List<Tensor> inputs = new ArrayList<>();
        for (Tensor t : new Tensor[] {q, k, v, logDecay, h0}) {
            if (t != null) {
                inputs.add(t);
            }
        }
        int[] stateShape = {in.batch(), in.heads(), in.keyDim(), in.valueDim()};
        return Tensor.results(op, new float[][] {o, hT}, new int[][] {v.shape(), stateShape}, grads -> {
            GlaGrads g = GlaGrads.zerosFor(in);
            kernel.backward(in, grads[0], grads[1], g);
            addInto(q, g.q());
            addInto(k, g.k());
            addInto(v, g.v());
            addInto(logDecay, g.logDecay());
            addInto(h0, g.h0());
        }, inputs.toArray(new Tensor[0]));
    }

    /** The one-token step shared by {@link Gla} and {@link LinearAttention}; {@code logDecay} may be null. */
    static Tensor[] stepOf(String op, Tensor q, Tensor k, Tensor v, Tensor logDecay, Tensor state, float scale) {
        Shapes.requireRank(op, "q [batch, heads, keyDim]", require(op, "q", q), 3);
        Shapes.requireRank(op, "v [batch, heads, valueDim]", require(op, "v", v), 3);
        require(op, "k", k);
        require(op, "state", state);
        GlaInputs in = inputs(op, asSequence(q), asSequence(k), asSequence(v),
                logDecay == null ? null : asSequence(logDecay), state, scale);
        float[] o = new float[v.size()];
        float[] next = new float[state.size()];
        REFERENCE.forward(in, o, next);
        return new Tensor[] {Tensor.of(o, v.shape()), Tensor.of(next, state.shape())};
    }

    /** {@code [B, H, D]} seen as a sequence of one step {@code [B, 1, H, D]}. */
    private static Tensor asSequence(Tensor x) {
        int[] s = x.shape();
        if (s.length != 3) {
            return x;
        }
        return Tensor.of(x.data(), s[0], 1, s[1], s[2]);
    }

    static Tensor require(String op, String what, Tensor t) {
        if (t == null) {
            throw new RecurException(op + ": " + what + " is required");
        }
        return t;
    }

    private static void addInto(Tensor t, float[] g) {
        float[] target = t == null ? null : t.gradBuffer();
        if (target == null) {
            return;
        }
        for (int i = 0; i < target.length; i++) {
            target[i] += g[i];
        }
    }

    /** Validates every shape against q [B, T, H, K] and v [B, T, H, V]. */
    private static GlaInputs inputs(String op, Tensor q, Tensor k, Tensor v, Tensor logDecay, Tensor h0,
                                    float scale) {
        Shapes.requireRank(op, "q [batch, seqLen, heads, keyDim]", require(op, "q", q), 4);
        Shapes.requireRank(op, "v [batch, seqLen, heads, valueDim]", require(op, "v", v), 4);
        int batch = q.dim(0);
        int seqLen = q.dim(1);
        int heads = q.dim(2);
        int keyDim = q.dim(3);
        int valueDim = v.dim(3);
        Shapes.require(op, "k (same as q) [batch, seqLen, heads, keyDim]", q.shape(), require(op, "k", k).shape());
        Shapes.require(op, "v [batch, seqLen, heads, valueDim]", new int[] {batch, seqLen, heads, valueDim},
                v.shape());
        if (logDecay != null) {
            Shapes.require(op, "logDecay (same as q) [batch, seqLen, heads, keyDim]", q.shape(), logDecay.shape());
        }
        if (h0 != null) {
            Shapes.require(op, "h0 [batch, heads, keyDim, valueDim]", new int[] {batch, heads, keyDim, valueDim},
                    h0.shape());
        }
        if (!Float.isFinite(scale)) {
            throw new RecurException(op + ": scale must be finite, got " + scale);
        }
        return new GlaInputs(q.data(), k.data(), v.data(), logDecay == null ? null : logDecay.data(),
                h0 == null ? null : h0.data(), scale, batch, seqLen, heads, keyDim, valueDim);
    }
}
