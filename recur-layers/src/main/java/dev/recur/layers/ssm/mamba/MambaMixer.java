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
import java.util.function.Function;

/**
 * The selective SSM mixer of one Mamba block (Gu and Dao 2023, "Mamba: Linear-Time Sequence Modeling with
 * Selective State Spaces", Algorithm 2), with transformers' {@code MambaMixer} numerics:
 * {@code in_proj -> (x, z)}; {@code x = silu(causalConv1d(x))}; {@code x_proj(x) -> (dt, B, C)};
 * {@code delta = softplus(dt_proj(dt))} (the bias added inside the scan); the selective scan with
 * {@code A = -exp(A_log)} and the skip {@code D}; {@code y * silu(z)}; {@code out_proj}. Right after
 * {@code x_proj}, FalconMamba RMS-normalises dt, B and C without weights and Jamba (transformers'
 * {@code JambaMambaMixer}; Lieber et al. 2024) with weights ({@link MambaMixerConfig.DtBcNorm}).
 *
 * <p>The carried state is the convolution's last K-1 inputs {@code [B, K-1, D_inner]} and the SSM state
 * {@code [B, D_inner, N]}. Every Mamba model here runs this one class: {@link MambaLm}, the stack kind
 * {@code mamba} and Jamba's Mamba layers (both through {@link MambaBlockMixer}).
 */
public final class MambaMixer {
    /** The mixer's output {@code [B, T, hidden]} and its new states. */
    public record Output(Tensor y, Tensor convState, Tensor ssmState) {}

    private final MambaMixerConfig config;
    final Tensor inProj;      // [2 * D_inner, hidden]
    final Tensor inProjBias;  // [2 * D_inner] or null
    final Tensor convWeight;  // [D_inner, 1, K]
    final Tensor convBias;    // [D_inner] or null
    final Tensor xProj;       // [R + 2N, D_inner]
    final Tensor dtNorm;      // [R] or null
    final Tensor bNorm;       // [N] or null
    final Tensor cNorm;       // [N] or null
    final Tensor dtProj;      // [D_inner, R]
    final Tensor dtBias;      // [D_inner]
    final Tensor aLog;        // [D_inner, N]
    final Tensor dSkip;       // [D_inner]
    final Tensor outProj;     // [hidden, D_inner]
    final Tensor outProjBias; // [hidden] or null

    /**
     * The mixer over its parameters in transformers' shapes, looked up by their names inside the mixer
     * ({@code in_proj.weight}, {@code A_log}, ...; see the fields); {@code weights} gives null for one the config
     * leaves out.
     */
    public MambaMixer(MambaMixerConfig config, Function<String, Tensor> weights) {
        this.config = config;
        this.inProj = weights.apply("in_proj.weight");
        this.inProjBias = weights.apply("in_proj.bias");
        this.convWeight = weights.apply("conv1d.weight");
        this.convBias = weights.apply("conv1d.bias");
        this.xProj = weights.apply("x_proj.weight");
        this.dtNorm = weights.apply("dt_layernorm.weight");
        this.bNorm = weights.apply("b_layernorm.weight");
        this.cNorm = weights.apply("c_layernorm.weight");
        this.dtProj = weights.apply("dt_proj.weight");
        this.dtBias = weights.apply("dt_proj.bias");
        this.aLog = weights.apply("A_log");
        this.dSkip = weights.apply("D");
        this.outProj = weights.apply("out_proj.weight");
        this.outProjBias = weights.apply("out_proj.bias");
    }

    public MambaMixerConfig config() {
        return config;
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
        Tensor dt = dtBc.get(0);                                             // [B, T, R]
        Tensor b = dtBc.get(1);                                              // [B, T, N]
        Tensor c = dtBc.get(2);                                              // [B, T, N]
        if (config.dtBcNorm() != MambaMixerConfig.DtBcNorm.NONE) {
            // The weights are null for FalconMamba's weightless norms.
            b = Norms.rmsNorm(b, bNorm, config.normEps());
            c = Norms.rmsNorm(c, cNorm, config.normEps());
            dt = Norms.rmsNorm(dt, dtNorm, config.normEps());
        }
        Tensor delta = Linear.apply(dt, dtProj, null);                       // [B, T, D_inner]
        Tensor a = Arithmetic.neg(Activations.exp(aLog));                   // [D_inner, N]
        ScanOutput scan = SelectiveScan.apply(u, delta, a, b, c, dSkip, ssmState, dtBias, true);
        Tensor gated = Arithmetic.mul(scan.output(), Activations.silu(xz.get(1)));
        return new Output(Linear.apply(gated, outProj, outProjBias), conv.state(), scan.state());
    }
}
