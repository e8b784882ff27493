package dev.recur.core.scan.gla;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.kernel.KernelMode;
import dev.recur.core.tensor.Tensor;

/**
 * Causal linear attention (Katharopoulos, Vyas, Pappas and Fleuret 2020, "Transformers are RNNs: Fast
 * Autoregressive Transformers with Linear Attention"), in its recurrent form: per batch entry and head,
 * <pre>
 *   S_t = S_{t-1} + k_t v_t^T
 *   o_t = S_t^T (scale * q_t)
 * </pre>
 * The feature map (the paper's {@code elu + 1}) and any normaliser {@code z_t = sum k} belong to the caller:
 * the inputs here are the already mapped queries and keys. This is {@link Gla} without decay, run by the same
 * kernels ({@link GlaChunked}'s scores are then a masked {@code Q K^T}).
 *
 * <p>Shapes, batch-first: {@code q}, {@code k} {@code [B, T, H, K]}; {@code v} {@code [B, T, H, V]};
 * {@code h0} {@code [B, H, K, V]} or null. Returns a {@link ScanOutput}: the output {@code o [B, T, H, V]} and the
 * state {@code hT [B, H, K, V]}.
 */
public final class LinearAttention {
    private static final String OP = "linearAttention";

    private LinearAttention() {}

    /** The scan with the current mode's kernel. */
    public static ScanOutput apply(Tensor q, Tensor k, Tensor v, Tensor h0, float scale) {
        return apply(Gla.kernel(KernelMode.current()), q, k, v, h0, scale);
    }

    /** The scan with a given kernel. */
    public static ScanOutput apply(GlaKernel kernel, Tensor q, Tensor k, Tensor v, Tensor h0, float scale) {
        return ScanOutput.of(Gla.scan(OP, kernel, q, k, v, null, h0, scale));
    }

    /**
     * One token: {@code q}, {@code k} {@code [B, H, K]}, {@code v [B, H, V]}, {@code state [B, H, K, V]}.
     * Returns a {@link ScanOutput}: the output {@code o [B, H, V]} and the state {@code newState}.
     */
    public static ScanOutput step(Tensor q, Tensor k, Tensor v, Tensor state, float scale) {
        return ScanOutput.of(Gla.stepOf(OP + ".step", q, k, v, null, state, scale));
    }
}
