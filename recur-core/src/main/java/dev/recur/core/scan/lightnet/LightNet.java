package dev.recur.core.scan.lightnet;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.KernelMode;
import dev.recur.core.scan.ScanOutput;
import dev.recur.core.scan.gla.Gla;
import dev.recur.core.scan.gla.GlaKernel;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * LightNet's additive linear recurrence (Qin, Mao, Shen, Yang, Li, Sun, Li, Zhong 2024, "You Only Scan Once:
 * Efficient Multi-dimension Sequential Modeling with LightNet"), as a differentiable op and a one-token step.
 * Per batch entry, head and key dimension, with the running normaliser {@code m_t = m_{t-1} + exp(k_t)}
 * ({@code z_t = log m_t}, a log-cumulative-sum-exp of the keys):
 * <pre>
 *   S_t = (1 / m_t) (m_{t-1} S_{t-1} + exp(k_t) v_t^T)    i.e.  S_t = sum_{tau <= t} (exp(k_tau) / m_t) v_tau^T
 *   o_t = S_t^T (scale * q_t)
 * </pre>
 * The unnormalised state {@code m_t S_t} only ever adds, with no multiplicative decay; that is why one scan
 * serves multi-dimensional inputs: the state after the last element is the same softmax-weighted sum of the
 * values whatever order the elements were scanned in (rows then columns, or any other), so a single scan over a
 * flattened image or volume gives every position's prefix summary and an order-free global one, where a decaying
 * recurrence would need a scan per direction. Written with the normalised state it is exactly {@link Gla} with
 * key {@code exp(k_t - z_t)} and log-decay {@code z_{t-1} - z_t <= 0}, and runs on GLA's kernels; this op
 * computes the normaliser (with its backward) and hands over.
 *
 * <p>Shapes, batch-first: {@code q}, {@code k} {@code [B, T, H, K]}; {@code v} {@code [B, T, H, V]};
 * {@code h0} {@code [B, H, K, V]} (the normalised state) and {@code z0} {@code [B, H, K]} (the log normaliser),
 * both null at the start of a sequence, and {@code z0} required with {@code h0}. Returns
 * {@code o [B, T, H, V]}, {@code hT [B, H, K, V]} and {@code zT [B, H, K]} ({@link LightNetOutput}); the state
 * of a stream is the pair {@code (hT, zT)}.
 */
public final class LightNet {
    private static final String OP = "lightNet";

    private LightNet() {}

    /** The scan with the current mode's kernel. */
    public static LightNetOutput apply(Tensor q, Tensor k, Tensor v, Tensor h0, Tensor z0, float scale) {
        return apply(Gla.kernel(KernelMode.current()), q, k, v, h0, z0, scale);
    }

    /** The scan with a given GLA kernel. */
    public static LightNetOutput apply(GlaKernel kernel, Tensor q, Tensor k, Tensor v, Tensor h0, Tensor z0,
                                 float scale) {
        check(OP, q, k, v, h0, z0, 4);
        Tensor[] norm = LightNetNormalizer.apply(OP, k, z0);
        ScanOutput out = Gla.apply(kernel, q, norm[0], v, norm[1], h0, scale);
        return new LightNetOutput(out.output(), out.state(), norm[2]);
    }

    /**
     * One token: {@code q}, {@code k} {@code [B, H, K]}, {@code v [B, H, V]}, {@code state [B, H, K, V]} and
     * {@code z [B, H, K]} (both null before the first token). Returns the output {@code [B, H, V]}, the new state and
     * the new log normaliser.
     */
    public static LightNetOutput step(Tensor q, Tensor k, Tensor v, Tensor state, Tensor z, float scale) {
        String op = OP + ".step";
        check(op, q, k, v, state, z, 3);
        int[] s = k.shape();
        Tensor[] norm = LightNetNormalizer.apply(op, Tensor.of(k.data(), s[0], 1, s[1], s[2]), z);
        Tensor kn = Tensor.of(norm[0].data(), s);
        Tensor g = Tensor.of(norm[1].data(), s);
        Tensor from = state != null ? state : Tensor.zeros(s[0], s[1], s[2], v.dim(2));
        ScanOutput out = Gla.step(q, kn, v, g, from, scale);
        return new LightNetOutput(out.output(), out.state(), norm[2]);
    }

    private static void check(String op, Tensor q, Tensor k, Tensor v, Tensor h0, Tensor z0, int rank) {
        for (Object[] named : new Object[][] {{"q", q}, {"k", k}, {"v", v}}) {
            if (named[1] == null) {
                throw new RecurException(op + ": " + named[0] + " is required");
            }
        }
        String seq = rank == 4 ? "seqLen, " : "";
        Shapes.requireRank(op, "k [batch, " + seq + "heads, keyDim]", k, rank);
        Shapes.require(op, "q (same as k)", k.shape(), q.shape());
        if (h0 != null && z0 == null) {
            throw new RecurException(op + ": a state h0 needs its log normaliser z0 [batch, heads, keyDim]");
        }
    }
}
