package dev.recur.layers.ssm.mamba2;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.kernel.KernelMode;
import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.CausalConv1d;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.scan.ssd.Ssd;
import dev.recur.core.scan.ssd.SsdKernel;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.ops.Linear;
import dev.recur.layers.ffn.HfActivation;

/**
 * The Mamba-2 mixer (Dao and Gu 2024, "Transformers are SSMs", section 7), as transformers'
 * {@code Mamba2Mixer}:
 * <pre>
 *   [z, xBC, dt] = in_proj(u)                                  split I, I + 2 G N, H
 *   xBC          = act(conv1d(xBC))                            causal, depthwise, carried state
 *   [x, B, C]    = xBC                                         split I, G N, G N
 *   dt           = clamp(softplus(dt + dt_bias), time_step_limit)
 *   y, S         = SSD(x, dt, A = -exp(A_log), B, C, D)        carried state S [B, H, P, N]
 *   out          = out_proj(weight * rmsNorm(y * silu(z)))
 * </pre>
 * transformers' in_proj has exactly {@code I + convDim + H} rows, so the extra MLP part the original
 * implementation can carry ({@code d_mlp}) is always empty for these checkpoints.
 */
public final class Mamba2Mixer {
    /** The output {@code [B, T, D]} and the new convolution and SSM states. */
    public record Result(Tensor output, Tensor convState, Tensor ssmState) {}

    private final Mamba2Config config;
    private final Tensor inProj;     // [I + convDim + H, D]
    private final Tensor inBias;     // [I + convDim + H] or null
    private final Tensor convWeight; // [convDim, 1, K]
    private final Tensor convBias;   // [convDim] or null
    private final Tensor dtBias;     // [H]
    private final Tensor aLog;       // [H]
    private final Tensor dSkip;      // [H]
    private final Tensor normWeight; // [I]
    private final Tensor outProj;    // [D, I]
    private final Tensor outBias;    // [D] or null
    private final SsdKernel chunked;

    /**
     * The mixer over its parameters in transformers' shapes (see the fields; a bias is null when the config has
     * none), running the chunked scan {@code chunked} except in reference kernel mode.
     */
    public Mamba2Mixer(Mamba2Config config, Tensor inProj, Tensor inBias, Tensor convWeight, Tensor convBias,
                Tensor dtBias, Tensor aLog, Tensor dSkip, Tensor normWeight, Tensor outProj, Tensor outBias,
                SsdKernel chunked) {
        this.config = config;
        this.inProj = inProj;
        this.inBias = inBias;
        this.convWeight = convWeight;
        this.convBias = convBias;
        this.dtBias = dtBias;
        this.aLog = aLog;
        this.dSkip = dSkip;
        this.normWeight = normWeight;
        this.outProj = outProj;
        this.outBias = outBias;
        this.chunked = chunked;
    }

    /** {@code u [B, T, D]} from {@code convState [B, K-1, convDim]} and {@code ssmState [B, H, P, N]}. */
    public Result forward(Tensor u, Tensor convState, Tensor ssmState) {
        int batch = u.dim(0);
        int steps = u.dim(1);
        int inner = config.intermediateSize();
        int convDim = config.convDim();
        int heads = config.heads();
        int groups = config.groups();
        int n = config.stateSize();
        Tensor projected = bias(Linear.apply(u, inProj), inBias); // [B, T, I + convDim + H]
        Tensor z = Reshaping.slice(projected, 2, 0, inner);
        Tensor xbc = Reshaping.slice(projected, 2, inner, inner + convDim);
        Tensor dtRaw = Reshaping.slice(projected, 2, inner + convDim, inner + convDim + heads);

        Tensor kernel2d = Reshaping.reshape(convWeight, convDim, config.convKernel());
        CausalConv1d.Result conv = CausalConv1d.forward(xbc, kernel2d, convBias, convState);
        Tensor act = activation(conv.output()); // [B, T, convDim]
        Tensor x = Reshaping.reshape(Reshaping.slice(act, 2, 0, inner), batch, steps, heads, config.headDim());
        Tensor b = Reshaping.reshape(Reshaping.slice(act, 2, inner, inner + groups * n), batch, steps, groups, n);
        Tensor c = Reshaping.reshape(Reshaping.slice(act, 2, inner + groups * n, convDim), batch, steps, groups, n);

        Tensor dt = Activations.softplus(Arithmetic.add(dtRaw, dtBias)); // [B, T, H]
        if (config.clampsTimeStep()) {
            dt = Clamp.apply(dt, config.timeStepMin(), config.timeStepMax());
        }
        Tensor a = Arithmetic.neg(Activations.exp(aLog)); // [H]
        // Reference mode runs the sequential scan; otherwise the chunked one, with the checkpoint's chunk size.
        SsdKernel scanKernel = KernelMode.current() == KernelMode.REFERENCE
                ? Ssd.kernel(KernelMode.REFERENCE) : chunked;
        ScanOutput scan = Ssd.apply(scanKernel, x, dt, a, b, c, dSkip, ssmState);
        Tensor y = Reshaping.reshape(scan.output(), batch, steps, inner);
        Tensor normed = GatedRmsNorm.apply(y, z, normWeight, inner, config.layerNormEps());
        Tensor out = bias(Linear.apply(normed, outProj), outBias); // [B, T, D]
        return new Result(out, conv.state(), scan.state());
    }

    private Tensor activation(Tensor x) {
        return HfActivation.named(config.activation(), "mamba2").apply(x);
    }

    private static Tensor bias(Tensor x, Tensor bias) {
        return bias == null ? x : Arithmetic.add(x, bias);
    }
}
