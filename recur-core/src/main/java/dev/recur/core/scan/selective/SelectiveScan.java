package dev.recur.core.scan.selective;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.RecurException;
import dev.recur.core.kernel.KernelMode;
import dev.recur.core.kernel.elementwise.FloatMath;
import dev.recur.core.parallel.ComputePool;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The differentiable selective scan of Mamba (S6), and its one-token step.
 *
 * <p>Shapes (B batch, T seqLen, D channels, N dState): {@code u}, {@code delta} {@code [B, T, D]}; {@code a}
 * {@code [D, N]} (real; a Mamba layer passes {@code -exp(A_log)}); {@code b}, {@code c} {@code [B, T, N]};
 * {@code dSkip} {@code [D]} or null; {@code h0} {@code [B, D, N]} or null for zeros. As the fused kernel's
 * {@code delta_bias} and {@code delta_softplus} flags, {@code deltaBias} {@code [D]} (or null) is added to
 * {@code delta} and, when {@code deltaSoftplus}, PyTorch's softplus (linear above 20) is applied before the
 * scan. Returns a {@link ScanOutput}: the output {@code y [B, T, D]} and the state {@code hT [B, D, N]} (see {@link
 * SelectiveScanKernel} for the recurrence), differentiable with respect to every tensor argument through the kernel's
 * hand-written backward.
 *
 * <p>Memory kept for the backward: the inputs, the effective step sizes when a bias or softplus is applied
 * ({@code B*T*D} floats) and whatever the kernel saves (for the vector kernel, state checkpoints of at most
 * {@code B*T*D + B*D*N} floats); never the {@code B*T*D*N} per-step states.
 */
public final class SelectiveScan {
    private static final String OP = "selectiveScan";
    private static final float SOFTPLUS_THRESHOLD = 20f;
    /** Below this many elements the delta passes stay on the calling thread. */
    private static final int PARALLEL_ELEMENTS = 1 << 15;
    /** Channel ranges of the delta backward start on multiples of this: whole cache lines per thread. */
    private static final int CHANNEL_ALIGN = 16;
    private static final SelectiveScanKernel REFERENCE = new SelectiveScanReference();
    private static final SelectiveScanKernel VECTOR = new SelectiveScanVector();

    private SelectiveScan() {}

    /** The kernel a mode selects. */
    public static SelectiveScanKernel kernel(KernelMode mode) {
        return mode == KernelMode.REFERENCE ? REFERENCE : VECTOR;
    }

    /** The scan without a delta bias or softplus: {@code delta} is used as given. */
    public static ScanOutput apply(Tensor u, Tensor delta, Tensor a, Tensor b, Tensor c, Tensor dSkip, Tensor h0) {
        return apply(kernel(KernelMode.current()), u, delta, a, b, c, dSkip, h0, null, false);
    }

    /** The scan with the current mode's kernel. */
    public static ScanOutput apply(Tensor u, Tensor delta, Tensor a, Tensor b, Tensor c, Tensor dSkip, Tensor h0,
                                 Tensor deltaBias, boolean deltaSoftplus) {
        return apply(kernel(KernelMode.current()), u, delta, a, b, c, dSkip, h0, deltaBias, deltaSoftplus);
    }

    /** The scan with a given kernel (tests and benchmarks compare kernels through this). */
    public static ScanOutput apply(SelectiveScanKernel kernel, Tensor u, Tensor delta, Tensor a, Tensor b, Tensor c,
                                 Tensor dSkip, Tensor h0, Tensor deltaBias, boolean deltaSoftplus) {
        int[] dims = validate(OP, u, delta, a, b, c, dSkip, h0, deltaBias);
        int batch = dims[0];
        int seqLen = dims[1];
        int channels = dims[2];
        int dState = dims[3];
        float[] deltaEff = effectiveDelta(delta.data(), deltaBias, deltaSoftplus, channels);
        SelectiveScanInputs in = new SelectiveScanInputs(u.data(), deltaEff, a.data(), b.data(), c.data(),
                dSkip == null ? null : dSkip.data(), h0 == null ? null : h0.data(), batch, seqLen, channels, dState);
        List<Tensor> inputs = new ArrayList<>();
        for (Tensor t : new Tensor[] {u, delta, a, b, c, dSkip, h0, deltaBias}) {
            if (t != null) {
                inputs.add(t);
            }
        }
        boolean needsGrad = false;
        for (Tensor t : inputs) {
            needsGrad |= t.tracksGrad();
        }
        float[] y = new float[u.size()];
        float[] hT = new float[batch * channels * dState];
        float[] saved = kernel.forward(in, y, hT, needsGrad && GradMode.isEnabled());
        return ScanOutput.of(Tensor.results(OP, new float[][] {y, hT},
                new int[][] {{batch, seqLen, channels}, {batch, channels, dState}}, grads -> {
                    SelectiveScanGrads g = SelectiveScanGrads.zerosFor(in);
                    kernel.backward(in, saved, grads[0], grads[1], g);
                    addInto(u, g.u());
                    addInto(a, g.a());
                    addInto(b, g.b());
                    addInto(c, g.c());
                    addInto(dSkip, g.dSkip());
                    addInto(h0, g.h0());
                    deltaBackward(delta, deltaBias, deltaSoftplus, channels, g.delta());
                }, inputs.toArray(new Tensor[0])));
    }

    /**
     * One token, for streaming inference (no autograd): {@code u}, {@code delta} {@code [B, D]}, {@code a}
     * {@code [D, N]}, {@code b}, {@code c} {@code [B, N]}, {@code dSkip} {@code [D]} or null, {@code state}
     * {@code [B, D, N]}; {@code deltaBias}/{@code deltaSoftplus} as in {@link #apply}. Returns a {@link ScanOutput}:
     * the output {@code y [B, D]} and the state {@code newState [B, D, N]}: the current mode's kernel over one step, so
     * a step loop gives the same bits as that kernel's forward over the whole sequence.
     */
    public static ScanOutput step(Tensor u, Tensor delta, Tensor a, Tensor b, Tensor c, Tensor dSkip, Tensor state,
                                Tensor deltaBias, boolean deltaSoftplus) {
        return step(kernel(KernelMode.current()), u, delta, a, b, c, dSkip, state, deltaBias, deltaSoftplus);
    }

    /** One token with a given kernel. */
    public static ScanOutput step(SelectiveScanKernel kernel, Tensor u, Tensor delta, Tensor a, Tensor b, Tensor c,
                                Tensor dSkip, Tensor state, Tensor deltaBias, boolean deltaSoftplus) {
        String op = OP + ".step";
        if (u == null || state == null) {
            throw new RecurException(op + ": u and state are required");
        }
        Shapes.requireRank(op, "u [batch, channels]", u, 2);
        Shapes.requireRank(op, "b [batch, dState]", requireNonNull(op, "b", b), 2);
        Shapes.requireRank(op, "c [batch, dState]", requireNonNull(op, "c", c), 2);
        int batch = u.dim(0);
        int channels = u.dim(1);
        int dState = b.dim(1);
        requireShape(op, "b [batch, dState]", b, new int[] {batch, dState});
        Tensor u3 = Tensor.of(u.data(), batch, 1, channels);
        Tensor delta3 = Tensor.of(requireShape(op, "delta", delta, u.shape()).data(), batch, 1, channels);
        Tensor b3 = Tensor.of(b.data(), batch, 1, dState);
        Tensor c3 = Tensor.of(requireShape(op, "c", c, b.shape()).data(), batch, 1, dState);
        int[] dims = validate(op, u3, delta3, a, b3, c3, dSkip, state, deltaBias);
        float[] deltaEff = effectiveDelta(delta3.data(), deltaBias, deltaSoftplus, channels);
        SelectiveScanInputs in = new SelectiveScanInputs(u.data(), deltaEff, a.data(), b.data(), c.data(),
                dSkip == null ? null : dSkip.data(), state.data(), dims[0], 1, channels, dState);
        float[] y = new float[batch * channels];
        float[] next = new float[state.size()];
        kernel.forward(in, y, next, false);
        return new ScanOutput(Tensor.of(y, batch, channels), Tensor.of(next, batch, channels, dState));
    }

    private static Tensor requireNonNull(String op, String what, Tensor t) {
        if (t == null) {
            throw new RecurException(op + ": " + what + " is required");
        }
        return t;
    }

    private static Tensor requireShape(String op, String what, Tensor t, int[] shape) {
        Shapes.require(op, what, shape, requireNonNull(op, what, t).shape());
        return t;
    }

    /** softplus(delta + bias) as PyTorch computes it: linear above the threshold 20. */
    private static float[] effectiveDelta(float[] delta, Tensor deltaBias, boolean softplus, int channels) {
        if (deltaBias == null && !softplus) {
            return delta;
        }
        float[] out = new float[delta.length];
        float[] bias = deltaBias == null ? null : deltaBias.data();
        onPool(delta.length / channels, 1, delta.length, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                for (int ch = 0, i = r * channels; ch < channels; ch++, i++) {
                    float x = bias == null ? delta[i] : delta[i] + bias[ch];
                    out[i] = !softplus || x > SOFTPLUS_THRESHOLD ? x : (float) FloatMath.log1pExp(x);
                }
            }
        });
        return out;
    }

    /**
     * Chains the gradient of the effective delta back through the softplus and the bias. Threads own ranges of
     * channels, so each bias gradient sums its rows in order whatever the thread count.
     */
    private static void deltaBackward(Tensor deltaTensor, Tensor deltaBias, boolean softplus, int channels,
                                      float[] gEff) {
        float[] delta = deltaTensor.data();
        float[] gDelta = deltaTensor.gradBuffer();
        float[] gBias = deltaBias == null ? null : deltaBias.gradBuffer();
        float[] bias = deltaBias == null ? null : deltaBias.data();
        int rows = delta.length / channels;
        ComputePool.RangeBody body = (c0, c1) -> {
            for (int r = 0; r < rows; r++) {
                for (int ch = c0, i = r * channels + c0; ch < c1; ch++, i++) {
                    float g = gEff[i];
                    if (softplus) {
                        float x = bias == null ? delta[i] : delta[i] + bias[ch];
                        // d softplus(x)/dx = sigmoid(x), and 1 where PyTorch switches to the identity.
                        g = x > SOFTPLUS_THRESHOLD ? g : g * (float) (1.0 / (1.0 + Math.exp(-x)));
                    }
                    if (gDelta != null) {
                        gDelta[i] += g;
                    }
                    if (gBias != null) {
                        gBias[ch] += g;
                    }
                }
            }
        };
        onPool(channels, CHANNEL_ALIGN, delta.length, body);
    }

    /**
     * Runs {@code body} over {@code [0, n)}, in ranges starting on multiples of {@code align} on the pool when the
     * pass touches at least {@link #PARALLEL_ELEMENTS} elements and there are two ranges to share.
     */
    private static void onPool(int n, int align, int elements, ComputePool.RangeBody body) {
        if (elements < PARALLEL_ELEMENTS || n < 2 * align) {
            body.run(0, n);
        } else {
            ComputePool.shared().forRanges(n, align, body);
        }
    }

    private static void addInto(Tensor t, float[] g) {
        if (t == null) {
            return;
        }
        float[] target = t.gradBuffer();
        if (target == null) {
            return;
        }
        for (int i = 0; i < target.length; i++) {
            target[i] += g[i];
        }
    }

    /** Checks every shape against u [B, T, D] and b [B, T, N]; returns {B, T, D, N}. */
    private static int[] validate(String op, Tensor u, Tensor delta, Tensor a, Tensor b, Tensor c, Tensor dSkip,
                                  Tensor h0, Tensor deltaBias) {
        requireNonNull(op, "u", u);
        Shapes.requireRank(op, "u [batch, seqLen, channels]", u, 3);
        requireShape(op, "delta (same as u)", delta, u.shape());
        requireNonNull(op, "b", b);
        Shapes.requireRank(op, "b [batch, seqLen, dState]", b, 3);
        int batch = u.dim(0);
        int seqLen = u.dim(1);
        int channels = u.dim(2);
        int dState = b.dim(2);
        Shapes.require(op, "b [batch, seqLen, dState]", new int[] {batch, seqLen, dState}, b.shape());
        requireShape(op, "c (same as b)", c, b.shape());
        requireShape(op, "A [channels, dState]", a, new int[] {channels, dState});
        if (dSkip != null) {
            Shapes.require(op, "D [channels]", new int[] {channels}, dSkip.shape());
        }
        if (h0 != null) {
            Shapes.require(op, "h0 [batch, channels, dState]", new int[] {batch, channels, dState}, h0.shape());
        }
        if (deltaBias != null) {
            Shapes.require(op, "deltaBias [channels]", new int[] {channels}, deltaBias.shape());
        }
        return new int[] {batch, seqLen, channels, dState};
    }
}
