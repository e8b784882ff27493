package dev.recur.core.scan.delta;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.RecurException;
import dev.recur.core.kernel.KernelMode;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The gated delta rule (Gated DeltaNet; Yang, Kautz and Hatamizadeh 2025, "Gated Delta Networks: Improving
 * Mamba2 with Delta Rule") as a differentiable op and a one-token step. Per batch entry and head, with the state
 * {@code S [K, V]}, a scalar decay {@code alpha_t = exp(g_t)} and a writing strength {@code beta_t}:
 * <pre>
 *   S_t = alpha_t (I - beta_t k_t k_t^T) S_{t-1} + beta_t k_t v_t^T
 *   o_t = S_t^T (scale * q_t)
 * </pre>
 * (the paper writes the transposed state {@code S_t = S_{t-1} alpha_t (I - beta_t k_t k_t^T) + beta_t v_t k_t^T}
 * with {@code o_t = S_t q_t}; this op keeps keys along the rows, as transformers and fla store it).
 *
 * <p>The conventions are those of transformers' Qwen3-Next {@code torch_recurrent_gated_delta_rule}, so its
 * checkpoints run unchanged: {@code g} is the log decay (the layer passes {@code -exp(A_log) softplus(a + dt_bias)})
 * and enters as {@code exp(g)} applied to the state before the read; {@code beta} is already a sigmoid; the
 * state is {@code [B, H, K, V]}; queries and keys arrive L2-normalised by the caller (Qwen3-Next uses
 * {@code x / sqrt(sum x^2 + 1e-6)}, its "use_qk_l2norm_in_kernel") and with their heads already repeated to the
 * value heads; {@code scale} is Qwen3-Next's {@code 1 / sqrt(K)}, applied to the query.
 *
 * <p>Shapes, batch-first: {@code q}, {@code k} {@code [B, T, H, K]}; {@code v} {@code [B, T, H, V]};
 * {@code beta}, {@code g} {@code [B, T, H]}; {@code h0} {@code [B, H, K, V]} or null for zeros. Returns a {@link
 * ScanOutput}: the output {@code o [B, T, H, V]} and the state {@code hT [B, H, K, V]}. Vector mode runs {@link
 * DeltaChunked}, reference mode {@link DeltaReference}; the backward recomputes states from the inputs.
 */
public final class GatedDeltaRule {
    private static final String OP = "gatedDeltaRule";
    private static final DeltaKernel REFERENCE = new DeltaReference();
    private static final DeltaKernel CHUNKED = new DeltaChunked();

    private GatedDeltaRule() {}

    /** The kernel a mode selects: the sequential reference, or the chunked kernel. */
    public static DeltaKernel kernel(KernelMode mode) {
        return mode == KernelMode.REFERENCE ? REFERENCE : CHUNKED;
    }

    /** The scan with the current mode's kernel. */
    public static ScanOutput apply(Tensor q, Tensor k, Tensor v, Tensor g, Tensor beta, Tensor h0, float scale) {
        return apply(kernel(KernelMode.current()), q, k, v, g, beta, h0, scale);
    }

    /** The scan with a given kernel (tests compare kernels through this). */
    public static ScanOutput apply(DeltaKernel kernel, Tensor q, Tensor k, Tensor v, Tensor g, Tensor beta, Tensor h0,
                                 float scale) {
        require(OP, "g", g);
        return ScanOutput.of(scan(OP, kernel, q, k, v, g, beta, h0, scale));
    }

    /**
     * One token, for streaming inference (no autograd): {@code q}, {@code k} {@code [B, H, K]}, {@code v}
     * {@code [B, H, V]}, {@code g}, {@code beta} {@code [B, H]}, {@code state [B, H, K, V]}. Returns a {@link
     * ScanOutput}: the output {@code o [B, H, V]} and the state {@code newState}, the reference forward over one step.
     */
    public static ScanOutput step(Tensor q, Tensor k, Tensor v, Tensor g, Tensor beta, Tensor state, float scale) {
        require(OP + ".step", "g", g);
        return ScanOutput.of(stepOf(OP + ".step", q, k, v, g, beta, state, scale));
    }

    /** The op shared by {@link GatedDeltaRule} and {@link DeltaRule}; {@code g} may be null. */
    static Tensor[] scan(String op, DeltaKernel kernel, Tensor q, Tensor k, Tensor v, Tensor g, Tensor beta,
                         Tensor h0, float scale) {
        DeltaInputs in = inputs(op, q, k, v, g, beta, h0, scale);
        float[] o = new float[v.size()];
        float[] hT = new float[in.stateSize()];
        kernel.forward(in, o, hT);
        List<Tensor> inputs = new ArrayList<>();
        for (Tensor t : new Tensor[] {q, k, v, beta, g, h0}) {
            if (t != null) {
                inputs.add(t);
            }
        }
        int[] stateShape = {in.batch(), in.heads(), in.keyDim(), in.valueDim()};
        return Tensor.results(op, new float[][] {o, hT}, new int[][] {v.shape(), stateShape}, grads -> {
            DeltaGrads d = DeltaGrads.zerosFor(in);
            kernel.backward(in, grads[0], grads[1], d);
            addInto(q, d.q());
            addInto(k, d.k());
            addInto(v, d.v());
            addInto(beta, d.beta());
            addInto(g, d.logGate());
            addInto(h0, d.h0());
        }, inputs.toArray(new Tensor[0]));
    }

    /** The one-token step shared by {@link GatedDeltaRule} and {@link DeltaRule}; {@code g} may be null. */
    static Tensor[] stepOf(String op, Tensor q, Tensor k, Tensor v, Tensor g, Tensor beta, Tensor state,
                           float scale) {
        Shapes.requireRank(op, "q [batch, heads, keyDim]", require(op, "q", q), 3);
        Shapes.requireRank(op, "v [batch, heads, valueDim]", require(op, "v", v), 3);
        Shapes.requireRank(op, "beta [batch, heads]", require(op, "beta", beta), 2);
        require(op, "k", k);
        require(op, "state", state);
        DeltaInputs in = inputs(op, asSequence(q), asSequence(k), asSequence(v), g == null ? null : asSequence(g),
                asSequence(beta), state, scale);
        float[] o = new float[v.size()];
        float[] next = new float[state.size()];
        REFERENCE.forward(in, o, next);
        return new Tensor[] {Tensor.of(o, v.shape()), Tensor.of(next, state.shape())};
    }

    /** {@code [B, H, ...]} seen as a sequence of one step {@code [B, 1, H, ...]}. */
    private static Tensor asSequence(Tensor x) {
        int[] s = x.shape();
        int[] seq = new int[s.length + 1];
        seq[0] = s[0];
        seq[1] = 1;
        System.arraycopy(s, 1, seq, 2, s.length - 1);
        return Tensor.of(x.data(), seq);
    }

    static Tensor require(String op, String what, Tensor t) {
        if (t == null) {
            throw new RecurException(op + ": " + what + " is required");
        }
        return t;
    }

    private static void addInto(Tensor t, float[] grad) {
        float[] target = t == null ? null : t.gradBuffer();
        if (target == null) {
            return;
        }
        for (int i = 0; i < target.length; i++) {
            target[i] += grad[i];
        }
    }

    /** Validates every shape against q [B, T, H, K] and v [B, T, H, V]. */
    private static DeltaInputs inputs(String op, Tensor q, Tensor k, Tensor v, Tensor g, Tensor beta, Tensor h0,
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
        int[] perStep = {batch, seqLen, heads};
        Shapes.require(op, "beta [batch, seqLen, heads]", perStep, require(op, "beta", beta).shape());
        if (g != null) {
            Shapes.require(op, "g [batch, seqLen, heads]", perStep, g.shape());
        }
        if (h0 != null) {
            Shapes.require(op, "h0 [batch, heads, keyDim, valueDim]", new int[] {batch, heads, keyDim, valueDim},
                    h0.shape());
        }
        if (!Float.isFinite(scale)) {
            throw new RecurException(op + ": scale must be finite, got " + scale);
        }
        return new DeltaInputs(q.data(), k.data(), v.data(), beta.data(), g == null ? null : g.data(),
                h0 == null ? null : h0.data(), scale, batch, seqLen, heads, keyDim, valueDim);
    }
}
