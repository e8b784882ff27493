package dev.recur.layers.hybrid.jamba;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.CausalConv1d;
import dev.recur.core.ops.Norms;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.scan.selective.SelectiveScan;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.ops.Linear;
import dev.recur.layers.lm.WeightSource;
import java.util.List;
import java.util.Map;

/**
 * The Mamba mixer of a Jamba layer (transformers' {@code JambaMambaMixer}): Mamba's selective SSM (Gu and Dao
 * 2023) with RMSNorms that carry weights on the step-size input and on B and C (Lieber et al. 2024, "Jamba": added
 * for stability at scale). {@code in_proj -> (x, z)}; {@code x = silu(causalConv1d(x))};
 * {@code x_proj(x) -> (dt, B, C)}; {@code dt, B, C = rmsNorm_dt(dt), rmsNorm_B(B), rmsNorm_C(C)};
 * {@code delta = softplus(dt_proj(dt))} (the bias added inside the scan); the scan with {@code A = -exp(A_log)} and
 * the skip {@code D}; {@code y * silu(z)}; {@code out_proj}.
 *
 * <p>State: {@code layers.i.conv [B, K-1, D_inner]} (the convolution's last inputs) and
 * {@code layers.i.ssm [B, D_inner, N]}.
 */
final class JambaMambaMixer implements TokenMixer {
    private final int layer;
    private final JambaConfig config;
    final Tensor inProj;      // [2 * D_inner, H]
    final Tensor inProjBias;  // [2 * D_inner] or null
    final Tensor convWeight;  // [D_inner, 1, K]
    final Tensor convBias;    // [D_inner] or null
    final Tensor xProj;       // [R + 2N, D_inner]
    final Tensor dtNorm;      // [R]
    final Tensor bNorm;       // [N]
    final Tensor cNorm;       // [N]
    final Tensor dtProj;      // [D_inner, R]
    final Tensor dtBias;      // [D_inner]
    final Tensor aLog;        // [D_inner, N]
    final Tensor dSkip;       // [D_inner]
    final Tensor outProj;     // [H, D_inner]
    final Tensor outProjBias; // [H] or null

    /** Takes the mixer's tensors under {@code prefix} (e.g. {@code model.layers.0.mamba.}). */
    JambaMambaMixer(int layer, JambaConfig config, String prefix, WeightSource take) {
        this.layer = layer;
        this.config = config;
        int h = config.hiddenSize();
        int inner = config.mambaInner();
        int n = config.mambaState();
        int r = config.mambaDtRank();
        aLog = take.apply(prefix + "A_log", inner, n);
        dSkip = take.apply(prefix + "D", inner);
        bNorm = take.apply(prefix + "b_layernorm.weight", n);
        cNorm = take.apply(prefix + "c_layernorm.weight", n);
        convBias = config.mambaConvBias() ? take.apply(prefix + "conv1d.bias", inner) : null;
        convWeight = take.apply(prefix + "conv1d.weight", inner, 1, config.mambaConv());
        dtNorm = take.apply(prefix + "dt_layernorm.weight", r);
        dtBias = take.apply(prefix + "dt_proj.bias", inner);
        dtProj = take.apply(prefix + "dt_proj.weight", inner, r);
        inProjBias = config.mambaProjBias() ? take.apply(prefix + "in_proj.bias", 2 * inner) : null;
        inProj = take.apply(prefix + "in_proj.weight", 2 * inner, h);
        outProjBias = config.mambaProjBias() ? take.apply(prefix + "out_proj.bias", h) : null;
        outProj = take.apply(prefix + "out_proj.weight", h, inner);
        xProj = take.apply(prefix + "x_proj.weight", r + 2 * n, inner);
    }

    @Override
    public Tensor forward(Tensor x, Map<String, Tensor> state, Map<String, Tensor> next, long start) {
        int inner = config.mambaInner();
        int n = config.mambaState();
        float eps = config.rmsEps();
        List<Tensor> xz = Reshaping.split(Linear.apply(x, inProj, inProjBias), -1, inner, inner);
        Tensor conv2d = Reshaping.reshape(convWeight, inner, config.mambaConv());
        CausalConv1d.Result conv = CausalConv1d.forward(xz.get(0), conv2d, convBias,
                state.get(JambaState.conv(layer)));
        Tensor u = Activations.silu(conv.output());                                  // [B, T, D_inner]
        List<Tensor> dtBc = Reshaping.split(Linear.apply(u, xProj, null), -1, config.mambaDtRank(), n, n);
        Tensor dt = Norms.rmsNorm(dtBc.get(0), dtNorm, eps);                         // [B, T, R]
        Tensor b = Norms.rmsNorm(dtBc.get(1), bNorm, eps);                           // [B, T, N]
        Tensor c = Norms.rmsNorm(dtBc.get(2), cNorm, eps);                           // [B, T, N]
        Tensor delta = Linear.apply(dt, dtProj, null);                               // [B, T, D_inner]
        Tensor a = Arithmetic.neg(Activations.exp(aLog));                            // [D_inner, N]
        ScanOutput scan = SelectiveScan.apply(u, delta, a, b, c, dSkip, state.get(JambaState.ssm(layer)), dtBias,
                true);
        next.put(JambaState.conv(layer), conv.state());
        next.put(JambaState.ssm(layer), scan.state());
        Tensor gated = Arithmetic.mul(scan.output(), Activations.silu(xz.get(1)));
        return Linear.apply(gated, outProj, outProjBias);
    }
}
