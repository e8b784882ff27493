package dev.recur.core.scan.delta;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.kernel.KernelMode;
import dev.recur.core.tensor.Tensor;

/**
 * The delta rule (DeltaNet; Schlag, Irie and Schmidhuber 2021, "Linear Transformers Are Secretly Fast Weight
 * Programmers"; trained in parallel as in Yang et al. 2024): per batch entry and head, with the state
 * {@code S [K, V]} (keys along rows),
 * <pre>
 *   S_t = (I - beta_t k_t k_t^T) S_{t-1} + beta_t k_t v_t^T
 *   o_t = S_t^T (scale * q_t)
 * </pre>
 * i.e. {@link GatedDeltaRule} with {@code alpha_t = 1}, run by the same kernels. Shapes as there, without
 * {@code g}: {@code q}, {@code k} {@code [B, T, H, K]}, {@code v} {@code [B, T, H, V]}, {@code beta}
 * {@code [B, T, H]}, {@code h0} {@code [B, H, K, V]} or null. Returns a {@link ScanOutput}: the output {@code o [B, T,
 * H, V]} and the state {@code hT [B, H, K, V]}.
 */
public final class DeltaRule {
    private static final String OP = "deltaRule";

    private DeltaRule() {}

    /** The scan with the current mode's kernel. */
    public static ScanOutput apply(Tensor q, Tensor k, Tensor v, Tensor beta, Tensor h0, float scale) {
        return apply(GatedDeltaRule.kernel(KernelMode.current()), q, k, v, beta, h0, scale);
    }

    /** The scan with a given kernel. */
    public static ScanOutput apply(DeltaKernel kernel, Tensor q, Tensor k, Tensor v, Tensor beta, Tensor h0,
                                 float scale) {
        return ScanOutput.of(GatedDeltaRule.scan(OP, kernel, q, k, v, null, beta, h0, scale));
    }

    /**
     * One token: {@code q}, {@code k} {@code [B, H, K]}, {@code v [B, H, V]}, {@code beta [B, H]},
     * {@code state [B, H, K, V]}. Returns a {@link ScanOutput}: the output {@code o [B, H, V]} and the state {@code
     * newState}.
     */
    public static ScanOutput step(Tensor q, Tensor k, Tensor v, Tensor beta, Tensor state, float scale) {
        return ScanOutput.of(GatedDeltaRule.stepOf(OP + ".step", q, k, v, null, beta, state, scale));
    }
}
