package dev.recur.cli.bench;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.CausalConv1d;
import dev.recur.core.ops.Matmul;
import dev.recur.core.ops.Norms;
import dev.recur.core.ops.Reductions;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.scan.delta.GatedDeltaRule;
import dev.recur.core.tensor.Tensor;
import java.util.List;

/**
 * Gated DeltaNet mixers (Yang, Kautz and Hatamizadeh 2025), laid out as Qwen3-Next's: {@code q, k, v} from one
 * projection through a causal depthwise convolution (width 4) and SiLU, L2-normalised {@code q, k},
 * {@code beta = sigmoid(x W_b)}, log decay {@code g = -exp(A_log) softplus(x W_a + dt_bias)}, the gated delta
 * rule over {@code d / 64} heads of {@code 64 x 64} states, a per-head RMSNorm gated by {@code silu(x W_z)}, and
 * {@code W_o}. A step updates fixed-size states: constant cost whatever the context.
 */
final class GatedDeltaDecode extends DecodeStack<Tensor[]> {
    private static final int CONV = 4;

    private final int heads;
    private final int headDim;
    // Per layer: norm, wQkv [d, 3d], conv [3d, K], wB [d, H], wA [d, H], aLog [H], dtBias [H], headNorm [64],
    // wZ [d, d], wO [d, d].
    private final Tensor[][] blocks;

    GatedDeltaDecode(int dModel, int layers, long seed) {
        super(dModel, layers);
        this.headDim = Math.min(64, dModel);
        this.heads = dModel / headDim;
        Rng rng = new Rng(seed);
        float std = (float) (1 / Math.sqrt(dModel));
        blocks = new Tensor[layers][];
        for (int l = 0; l < layers; l++) {
            blocks[l] = new Tensor[] {Tensor.full(1f, dModel), Tensor.randn(rng, std, dModel, 3 * dModel),
                Tensor.randn(rng, 0.5f, 3 * dModel, CONV), Tensor.randn(rng, std, dModel, heads),
                Tensor.randn(rng, std, dModel, heads), Tensor.uniform(rng, 0f, 2.7f, heads), Tensor.zeros(heads),
                Tensor.full(1f, headDim), Tensor.randn(rng, std, dModel, dModel),
                Tensor.randn(rng, std, dModel, dModel)};
        }
    }

    @Override
    String name() {
        return "gdn";
    }

    /** Per layer: the convolution state {@code [1, K-1, 3d]}, then the recurrent state {@code [1, H, 64, 64]}. */
    @Override
    Tensor[] start() {
        return zeroStates(layers, new int[] {1, CONV - 1, 3 * dModel}, new int[] {1, heads, headDim, headDim});
    }

    @Override
    Tensor[] forward(Tensor x, Tensor[] state) {
        int steps = x.dim(1);
        Tensor[] next = new Tensor[2 * layers];
        for (int l = 0; l < layers; l++) {
            Tensor[] b = blocks[l];
            Tensor n = Norms.rmsNorm(x, b[0], 1e-5f);                                   // [1, T, d]
            CausalConv1d.Result conv = CausalConv1d.forward(Matmul.matmul(n, b[1]), b[2], null, state[2 * l]);
            List<Tensor> qkv = Reshaping.split(Activations.silu(conv.output()), -1, dModel, dModel, dModel);
            Tensor q = l2Normalise(Reshaping.reshape(qkv.get(0), 1, steps, heads, headDim));
            Tensor k = l2Normalise(Reshaping.reshape(qkv.get(1), 1, steps, heads, headDim));
            Tensor v = Reshaping.reshape(qkv.get(2), 1, steps, heads, headDim);
            Tensor beta = Activations.sigmoid(Matmul.matmul(n, b[3]));                  // [1, T, H]
            Tensor g = Arithmetic.mul(Arithmetic.neg(Activations.exp(b[5])),
                    Activations.softplus(Arithmetic.add(Matmul.matmul(n, b[4]), b[6]))); // [1, T, H]
            ScanOutput rule = GatedDeltaRule.apply(q, k, v, g, beta, state[2 * l + 1],
                    (float) (1 / Math.sqrt(headDim)));
            Tensor z = Reshaping.reshape(Matmul.matmul(n, b[8]), 1, steps, heads, headDim);
            Tensor o = Arithmetic.mul(Norms.rmsNorm(rule.output(), b[7], 1e-6f), Activations.silu(z));
            x = Arithmetic.add(x, Matmul.matmul(Reshaping.reshape(o, 1, steps, dModel), b[9]));
            next[2 * l] = conv.state();
            next[2 * l + 1] = rule.state();
        }
        return next;
    }

    private static Tensor l2Normalise(Tensor x) {
        Tensor sumSquares = Reductions.sum(Arithmetic.square(x), -1, true);
        return Arithmetic.div(x, Activations.sqrt(Arithmetic.add(sumSquares, 1e-6f)));
    }

    @Override
    long stateFloats(Tensor[] state) {
        return floats(state);
    }

    @Override
    long weightFloats() {
        long n = 0;
        for (Tensor[] block : blocks) {
            n += floats(block);
        }
        return n;
    }
}
