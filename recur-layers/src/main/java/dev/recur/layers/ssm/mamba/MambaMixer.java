package dev.recur.layers.ssm.mamba;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.CausalConv1d;
import dev.recur.core.ops.Linear;
import dev.recur.core.ops.Norms;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.scan.selective.SelectiveScan;
import dev.recur.core.tensor.Tensor;
import java.util.List;

/**
 * The selective SSM mixer of one Mamba block (Gu and Dao 2023, "Mamba: Linear-Time Sequence Modeling with
 * Selective State Spaces", Algorithm 2), with transformers' {@code MambaMixer} numerics:
 * {@code in_proj -> (x, z)}; {@code x = silu(causalConv1d(x))}; {@code x_proj(x) -> (dt, B, C)};
 * {@code delta = softplus(dt_proj(dt))}; the selective scan with {@code A = -exp(A_log)} and the skip
 * {@code D}; {@code y * silu(z)}; {@code out_proj}. FalconMamba RMS-normalises dt, B and C (no weight) right
 * after {@code x_proj}.
 *
 * <p>The carried state is the convolution's last K-1 inputs {@code [B, K-1, D_inner]} and the SSM state
 * {@code [B, D_inner, N]}.
 */
public final class MambaMixer {
    /** The mixer's output {@code [B, T, hidden]} and its new states. */
    public record Output(Tensor y, Tensor convState, Tensor ssmState) {}

    private final MambaConfig config;
    final Tensor inProj;     // [2 * D_inner, hidden]
    final Tensor inProjBias; // [2 * D_inner] or null
    final Tensor convWeight; // [D_inner, 1, K]
    final Tensor convBias;   // [D_inner] or null
    final Tensor xProj;      // [R + 2N, D_inner]
    final Tensor dtProj;     // [D_inner, R]
    final Tensor dtBias;     // [D_inner]
    final Tensor aLog;       // [D_inner, N]
    final Tensor dSkip;      // [D_inner]
    final Tensor outProj;    // [hidden, D_inner]
    final Tensor outProjBias; // [hidden] or null

    /** The mixer over its parameters in transformers' shapes (see the fields; a bias is null when absent). */
    public MambaMixer(MambaConfig config, Tensor inProj, Tensor inProjBias, Tensor convWeight, Tensor convBias,
               Tensor xProj, Tensor dtProj, Tensor dtBias, Tensor aLog, Tensor dSkip, Tensor outProj,
               Tensor outProjBias) {
        this.config = config;
        this.inProj = inProj;
        this.inProjBias = inProjBias;
        this.convWeight = convWeight;
        this.convBias = convBias;
        this.xProj = xProj;
        this.dtProj = dtProj;
        this.dtBias = dtBias;
        this.aLog = aLog;
        this.dSkip = dSkip;
        this.outProj = outProj;
        this.outProjBias = outProjBias;
    }

    /** {@code hidden [B, T, H]}, {@code convState [B, K-1, D_inner]}, {@code ssmState [B, D_inner, N]}. */
    public Output forward(Tensor hidden, Tensor convState, Tensor ssmState) {
        int inner = config.intermediateSize();
        int n = config.stateSize();
        List<Tensor> xz = Reshaping.split(Linear.apply(hidden, inProj, inProjBias), -1, inner, inner);
        Tensor conv2d = Reshaping.reshape(convWeight, inner, config.convKernel());
        CausalConv1d.Result conv = CausalConv1d.forward(xz.get(0), conv2d, convBias, convState);
        Tensor u = Activations.silu(conv.output());                          // [B, T, D_inner]
        List<Tensor> dtBc = Reshaping.split(Linear.apply(u, xProj, null), -1, config.timeStepRank(), n, n);
        Tensor dt = dtBc.get(0);
        Tensor b = dtBc.get(1);                                              // [B, T, N]
        Tensor c = dtBc.get(2);                                              // [B, T, N]
        if (config.normalizeBcDt()) {
            b = Norms.rmsNorm(b, null, config.mixerRmsEps());
            c = Norms.rmsNorm(c, null, config.mixerRmsEps());
            dt = Norms.rmsNorm(dt, null, config.mixerRmsEps());
        }
        Tensor delta = Linear.apply(dt, dtProj, null);                       // [B, T, D_inner]
        Tensor a = Arithmetic.neg(Activations.exp(aLog));                   // [D_inner, N]
        ScanOutput scan = SelectiveScan.apply(u, delta, a, b, c, dSkip, ssmState, dtBias, true);
        Tensor gated = Arithmetic.mul(scan.output(), Activations.silu(xz.get(1)));
        return new Output(Linear.apply(gated, outProj, outProjBias), conv.state(), scan.state());
    }
}
