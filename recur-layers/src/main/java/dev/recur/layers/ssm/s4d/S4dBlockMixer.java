package dev.recur.layers.ssm.s4d;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Linear;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.block.AdapterMixer;
import dev.recur.layers.block.MixerOutput;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.block.Params;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code s4d}: the S4D block of Gu, Gupta, Goel and Re (2022), "On the Parameterization and Initialization of
 * Diagonal State Space Models" (its standalone {@code s4d.py}), over the residual stream: one {@link S4dLayer}
 * with a channel per d_model feature (eq. 1, {@code y = SSM(x) + D x}), a GELU, and the position-wise output
 * layer with a GLU,
 * <pre>
 *   z = gelu(S4D(x))                             [B, T, D]
 *   y = (W_a z + b_a) * sigmoid(W_b z + b_b)     W = out_proj.weight [2D, D] (rows: the a half, then the b half)
 * </pre>
 * The state matrix starts at the HiPPO-LegS diagonal ({@link S4dInit#LEGS}, the normal part of HiPPO-LegS, with
 * {@code B} projected onto its eigenvectors), the timescales log-uniform in [0.001, 0.1], zero-order hold.
 * {@code B} is fixed by that initialisation and recomputed, not stored.
 *
 * <p>Option: {@code state} (the real state size N per channel, even, default 64 as in the paper; kept as N/2
 * complex modes). Parameters: {@code log_dt [D]}, {@code log_neg_a_real}, {@code a_imag}, {@code c_real},
 * {@code c_imag [D, N/2]}, {@code d [D]} ({@link S4dLayer}'s names), {@code out_proj.weight [2D, D]} (PyTorch's
 * {@code U(+-1/sqrt(D))} times the stack's residual factor) and {@code out_proj.bias [2D]} (zero). State:
 * {@code re}, {@code im [B, D, N/2]}, the complex modes after the last token. A whole sequence runs in the
 * layer's convolution mode (FFT), a single token ({@link #step}, or a forward of
 * length one) in its recurrent mode.
 */
final class S4dBlockMixer extends AdapterMixer {
    private static final String[] STATE = {"re", "im"};
    private static final String[] LAYER_PARAMS = {"log_dt", "log_neg_a_real", "a_imag", "c_real", "c_imag", "d"};

    private final S4dLayer layer;

    S4dBlockMixer(MixerShape shape, Params p) {
        super(shape);
        int d = shape.dModel();
        int n = shape.positive("state", 64);
        if (n % 2 != 0) {
            throw new RecurException("stack block '" + shape.spec() + "': state must be even (N/2 complex modes), got "
                    + n);
        }
        S4dConfig config = new S4dConfig(d, n, S4dInit.LEGS, Discretization.ZOH, 0.001, 0.1);
        // The layer draws every parameter and computes B; when loading, only B (fixed by the init) is kept from it.
        S4dLayer drawn = new S4dLayer(config, p.drawing() ? p.rng() : new Rng(0));
        for (String name : LAYER_PARAMS) {
            Tensor t = drawn.parameter(name);
            take(p, name, t.shape(), rng -> t.detach());
        }
        float bound = (float) (shape.outScale() / Math.sqrt(d));
        take(p, "out_proj.weight", new int[] {2 * d, d}, rng -> Tensor.uniform(rng, -bound, bound, 2 * d, d));
        take(p, "out_proj.bias", new int[] {2 * d}, Params.constant(0f, 2 * d));
        Map<String, Tensor> layerParams = new LinkedHashMap<>();
        for (String name : LAYER_PARAMS) {
            layerParams.put(name, param(name));
        }
        Tensor[] b = drawn.inputVector();
        this.layer = new S4dLayer(config, layerParams, b[0], b[1]);
    }

    @Override
    public MixerState initialState(int batch) {
        shape.requireBatch(batch);
        return of(layer.initialState(batch), 0);
    }

    @Override
    public MixerOutput forward(Tensor x, MixerState state) {
        shape.requireInput(x);
        int batch = x.dim(0);
        if (x.dim(1) == 1) {
            // One token (a stack decoding): the recurrent mode, not an FFT of length one.
            MixerOutput one = step(Reshaping.reshape(x, batch, shape.dModel()), state);
            return new MixerOutput(Reshaping.reshape(one.output(), batch, 1, shape.dModel()), one.state());
        }
        MixerState s = state == null ? initialState(batch) : state;
        S4dOutput out = layer.forward(x, read(s, batch));
        return new MixerOutput(glu(out.output()), of(out.state(), s.position() + x.dim(1)));
    }

    /** One token {@code x [B, D]} in the layer's recurrent mode. */
    @Override
    public MixerOutput step(Tensor x, MixerState state) {
        if (x == null || x.rank() != 2 || x.dim(0) < 1 || x.dim(1) != shape.dModel()) {
            throw new RecurException("stack block '" + shape.spec() + "': expected a token x [batch, "
                    + shape.dModel() + "] with batch >= 1, got " + (x == null ? "null" : Shapes.format(x.shape())));
        }
        MixerState s = state == null ? initialState(x.dim(0)) : state;
        S4dOutput out = layer.step(x, read(s, x.dim(0)));
        return new MixerOutput(glu(out.output()), of(out.state(), s.position() + 1));
    }

    /** {@code (W_a z + b_a) * sigmoid(W_b z + b_b)} with {@code z = gelu(u)}, over the last axis. */
    private Tensor glu(Tensor u) {
        Tensor h = Linear.apply(Activations.gelu(u), param("out_proj.weight"), param("out_proj.bias"));
        int d = shape.dModel();
        List<Tensor> halves = Reshaping.split(h, h.rank() - 1, d, d);
        return Arithmetic.mul(halves.get(0), Activations.sigmoid(halves.get(1)));
    }

    private S4dState read(MixerState s, int batch) {
        int[] dims = {batch, shape.dModel(), layer.config().modes()};
        return new S4dState(shape.stateTensor(s, STATE[0], dims), shape.stateTensor(s, STATE[1], dims));
    }

    private static MixerState of(S4dState s, long position) {
        return MixerState.of(position, STATE, s.re(), s.im());
    }
}
