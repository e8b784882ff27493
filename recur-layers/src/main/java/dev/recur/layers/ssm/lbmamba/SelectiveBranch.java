package dev.recur.layers.ssm.lbmamba;

import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.CausalConv1d;
import dev.recur.core.ops.Linear;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.scan.selective.LocalBackwardScan;
import dev.recur.core.scan.selective.SelectiveScan;
import dev.recur.core.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The SSM half of a Mamba mixer, as {@code ssm.mamba.MambaMixer} computes it between {@code in_proj} and the
 * gate: {@code u = silu(causalConv1d(x))}; {@code x_proj(u) -> (dt, B, C)}; {@code delta = softplus(dt_proj(dt)
 * + dt_bias)}; the selective scan with {@code A = -exp(A_log)} and the skip {@code D}. With a window, LBMamba's
 * local backward scan over the same {@code u, delta, A, B, C} is added (the combined state
 * {@code h = hL + hR - delta B u}).
 */
final class SelectiveBranch {
    private final LbMambaConfig config;
    final Tensor convWeight; // [D_inner, K]
    final Tensor convBias;   // [D_inner]
    final Tensor xProj;      // [R + 2N, D_inner]
    final Tensor dtProj;     // [D_inner, R]
    final Tensor dtBias;     // [D_inner]
    final Tensor aLog;       // [D_inner, N]
    final Tensor dSkip;      // [D_inner]

    /**
     * Mamba's initialisation: {@code A_log = log(1..N)}, {@code D = 1}, {@code dt} log-uniform in [0.001, 0.1]
     * through the bias (softplus inverted), {@code dt_proj} uniform in {@code ±R^-1/2}, the rest as PyTorch's
     * default layers (uniform in {@code ±fan_in^-1/2}).
     */
    SelectiveBranch(LbMambaConfig config, Rng rng) {
        this.config = config;
        int inner = config.intermediateSize();
        int n = config.stateSize();
        int r = config.timeStepRank();
        int k = config.convKernel();
        float convBound = (float) (1 / Math.sqrt(k));
        this.convWeight = Tensor.uniform(rng.split(), -convBound, convBound, inner, k).requiresGrad(true);
        this.convBias = Tensor.uniform(rng.split(), -convBound, convBound, inner).requiresGrad(true);
        float xBound = (float) (1 / Math.sqrt(inner));
        this.xProj = Tensor.uniform(rng.split(), -xBound, xBound, r + 2 * n, inner).requiresGrad(true);
        float dtBound = (float) (1 / Math.sqrt(r));
        this.dtProj = Tensor.uniform(rng.split(), -dtBound, dtBound, inner, r).requiresGrad(true);
        Rng dtRng = rng.split();
        float[] bias = new float[inner];
        float[] a = new float[inner * n];
        for (int d = 0; d < inner; d++) {
            double dt = Math.exp(Math.log(1e-3) + dtRng.nextDouble() * (Math.log(1e-1) - Math.log(1e-3)));
            bias[d] = (float) (dt + Math.log(-Math.expm1(-dt))); // softplus^-1(dt)
            for (int s = 0; s < n; s++) {
                a[d * n + s] = (float) Math.log(s + 1);
            }
        }
        this.dtBias = Tensor.of(bias, inner).requiresGrad(true);
        this.aLog = Tensor.of(a, inner, n).requiresGrad(true);
        this.dSkip = Tensor.full(1f, inner).requiresGrad(true);
    }

    /** {@code x [B, T, D_inner]} (after {@code in_proj}) -> {@code y [B, T, D_inner]}; window 0: no local scan. */
    Tensor apply(Tensor x, int window) {
        int n = config.stateSize();
        Tensor u = Activations.silu(CausalConv1d.forward(x, convWeight, convBias, null).output()); // [B, T, D_inner]
        List<Tensor> dtBc = Reshaping.split(Linear.apply(u, xProj, null), -1, config.timeStepRank(), n, n);
        Tensor delta = Activations.softplus(Linear.apply(dtBc.get(0), dtProj, dtBias));         // [B, T, D_inner]
        Tensor a = Arithmetic.neg(Activations.exp(aLog));                                      // [D_inner, N]
        Tensor b = dtBc.get(1);                                                                // [B, T, N]
        Tensor c = dtBc.get(2);                                                                // [B, T, N]
        Tensor y = SelectiveScan.apply(u, delta, a, b, c, dSkip, null).output();
        if (window > 0) {
            y = Arithmetic.add(y, LocalBackwardScan.apply(u, delta, a, b, c, window));
        }
        return y;
    }

    void collect(String prefix, Map<String, Tensor> into) {
        into.put(prefix + "conv1d.weight", convWeight);
        into.put(prefix + "conv1d.bias", convBias);
        into.put(prefix + "x_proj.weight", xProj);
        into.put(prefix + "dt_proj.weight", dtProj);
        into.put(prefix + "dt_proj.bias", dtBias);
        into.put(prefix + "A_log", aLog);
        into.put(prefix + "D", dSkip);
    }
}
