package dev.recur.cli.bench;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.CausalConv1d;
import dev.recur.core.ops.Linear;
import dev.recur.core.ops.Norms;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.scan.selective.SelectiveScan;
import dev.recur.core.tensor.Tensor;
import java.util.List;

/**
 * Mamba mixers (Gu and Dao 2023, as {@code ssm.mamba.MambaMixer}): expand 2, state 16, convolution 4, dt rank
 * {@code ceil(d / 16)}, initialised as {@link RandomMamba}. A step updates a convolution window and a
 * {@code [2d, 16]} state per layer: constant cost and state whatever the context.
 */
final class MambaDecode extends DecodeStack<Tensor[]> {
    private static final int STATE = 16;
    private static final int CONV = 4;

    private final int inner;
    private final int rank;
    // Per layer: norm, inProj, convWeight [inner, K], convBias, xProj, dtProj, dtBias, A, D, outProj.
    private final Tensor[][] blocks;

    MambaDecode(int dModel, int layers, long seed) {
        super(dModel, layers);
        this.inner = 2 * dModel;
        this.rank = (dModel + 15) / 16;
        Rng rng = new Rng(seed);
        float[] a = new float[inner * STATE];
        for (int i = 0; i < inner; i++) {
            for (int s = 0; s < STATE; s++) {
                a[i * STATE + s] = -(s + 1); // -exp(A_log) with A_log = log(1..N)
            }
        }
        float dtBias = (float) Math.log(Math.expm1(0.01));
        blocks = new Tensor[layers][];
        for (int l = 0; l < layers; l++) {
            blocks[l] = new Tensor[] {Tensor.full(1f, dModel), Tensor.randn(rng, 0.02f, 2 * inner, dModel),
                Tensor.randn(rng, 0.2f, inner, CONV), Tensor.zeros(inner),
                Tensor.randn(rng, 0.02f, rank + 2 * STATE, inner),
                Tensor.randn(rng, (float) (1 / Math.sqrt(rank)), inner, rank), Tensor.full(dtBias, inner),
                Tensor.of(a.clone(), inner, STATE), Tensor.full(1f, inner), Tensor.randn(rng, 0.02f, dModel, inner)};
        }
    }

    @Override
    String name() {
        return "mamba";
    }

    /** Per layer: the convolution state {@code [1, K-1, inner]}, then the SSM state {@code [1, inner, N]}. */
    @Override
    Tensor[] start() {
        return zeroStates(layers, new int[] {1, CONV - 1, inner}, new int[] {1, inner, STATE});
    }

    @Override
    Tensor[] forward(Tensor x, Tensor[] state) {
        Tensor[] next = new Tensor[2 * layers];
        for (int l = 0; l < layers; l++) {
            Tensor[] b = blocks[l];
            Tensor n = Norms.rmsNorm(x, b[0], 1e-5f);
            List<Tensor> xz = Reshaping.split(Linear.apply(n, b[1], null), -1, inner, inner);
            CausalConv1d.Result conv = CausalConv1d.forward(xz.get(0), b[2], b[3], state[2 * l]);
            Tensor u = Activations.silu(conv.output());                                 // [1, T, inner]
            List<Tensor> dtBc = Reshaping.split(Linear.apply(u, b[4], null), -1, rank, STATE, STATE);
            Tensor delta = Linear.apply(dtBc.get(0), b[5], null);                       // [1, T, inner]
            ScanOutput scan = SelectiveScan.apply(u, delta, b[7], dtBc.get(1), dtBc.get(2), b[8], state[2 * l + 1],
                    b[6], true);
            Tensor gated = Arithmetic.mul(scan.output(), Activations.silu(xz.get(1)));
            x = Arithmetic.add(x, Linear.apply(gated, b[9], null));
            next[2 * l] = conv.state();
            next[2 * l + 1] = scan.state();
        }
        return next;
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
