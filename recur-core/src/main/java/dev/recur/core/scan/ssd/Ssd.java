package dev.recur.core.scan.ssd;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.RecurException;
import dev.recur.core.kernel.KernelMode;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The differentiable SSD scan of Mamba-2, and its one-token step.
 *
 * <p>Shapes (B batch, T seqLen, H heads, P headDim, G groups, N dState): {@code x} {@code [B, T, H, P]};
 * {@code dt} {@code [B, T, H]} (after softplus); {@code a} {@code [H]}; {@code b}, {@code c}
 * {@code [B, T, G, N]} with H divisible by G; {@code dSkip} {@code [H]} or null; {@code h0}
 * {@code [B, H, P, N]} or null. Returns a {@link ScanOutput}: the output {@code y [B, T, H, P]} and the state {@code hT
 * [B, H, P, N]} (see {@link SsdKernel}). Vector mode runs the chunked kernel, reference mode the sequential one,
 * forward and backward; neither stores anything between forward and backward (the backward recomputes states from the
 * inputs).
 */
public final class Ssd {
    private static final String OP = "ssd";
    private static final SsdKernel REFERENCE = new SsdReference();
    private static final SsdKernel CHUNKED = new SsdChunked();

    private Ssd() {}

    /** The kernel a mode selects: the sequential reference, or the chunked kernel. */
    public static SsdKernel kernel(KernelMode mode) {
        return mode == KernelMode.REFERENCE ? REFERENCE : CHUNKED;
    }

    /** The scan with the current mode's kernel. */
    public static ScanOutput apply(Tensor x, Tensor dt, Tensor a, Tensor b, Tensor c, Tensor dSkip, Tensor h0) {
        return apply(kernel(KernelMode.current()), x, dt, a, b, c, dSkip, h0);
    }

    /** The scan with a given forward kernel (tests compare kernels through this). */
    public static ScanOutput apply(SsdKernel kernel, Tensor x, Tensor dt, Tensor a, Tensor b, Tensor c, Tensor dSkip,
                                 Tensor h0) {
        SsdInputs in = inputs(OP, x, dt, a, b, c, dSkip, h0);
        float[] y = new float[x.size()];
        float[] hT = new float[in.batch() * in.heads() * in.headDim() * in.dState()];
        kernel.forward(in, y, hT);
        List<Tensor> inputs = new ArrayList<>();
        for (Tensor t : new Tensor[] {x, dt, a, b, c, dSkip, h0}) {
            if (t != null) {
                inputs.add(t);
            }
        }
        return ScanOutput.of(Tensor.results(OP, new float[][] {y, hT},
                new int[][] {x.shape(), {in.batch(), in.heads(), in.headDim(), in.dState()}}, grads -> {
                    SsdGrads g = SsdGrads.zerosFor(in);
                    kernel.backward(in, grads[0], grads[1], g);
                    addInto(x, g.x());
                    addInto(dt, g.dt());
                    addInto(a, g.a());
                    addInto(b, g.b());
                    addInto(c, g.c());
                    addInto(dSkip, g.dSkip());
                    addInto(h0, g.h0());
                }, inputs.toArray(new Tensor[0])));
    }

    /**
     * One token, for streaming inference (no autograd): {@code x [B, H, P]}, {@code dt [B, H]}, {@code a [H]},
     * {@code b}, {@code c} {@code [B, G, N]}, {@code dSkip [H]} or null, {@code state [B, H, P, N]}. Returns a {@link
     * ScanOutput}: the output {@code y [B, H, P]} and the state {@code newState}, the same values as the reference
     * forward over one step.
     */
    public static ScanOutput step(Tensor x, Tensor dt, Tensor a, Tensor b, Tensor c, Tensor dSkip, Tensor state) {
        String op = OP + ".step";
        require(op, "x", x);
        require(op, "b", b);
        require(op, "c", c);
        require(op, "dt", dt);
        require(op, "state", state);
        Shapes.requireRank(op, "x [batch, heads, headDim]", x, 3);
        Shapes.requireRank(op, "b [batch, groups, dState]", b, 3);
        Shapes.requireRank(op, "c [batch, groups, dState]", c, 3);
        Shapes.requireRank(op, "dt [batch, heads]", dt, 2);
        int batch = x.dim(0);
        SsdInputs in = inputs(op, Tensor.of(x.data(), batch, 1, x.dim(1), x.dim(2)),
                Tensor.of(dt.data(), dt.dim(0), 1, dt.dim(1)), a, Tensor.of(b.data(), b.dim(0), 1, b.dim(1), b.dim(2)),
                Tensor.of(c.data(), c.dim(0), 1, c.dim(1), c.dim(2)), dSkip, state);
        float[] y = new float[x.size()];
        float[] next = new float[state.size()];
        REFERENCE.forward(in, y, next);
        return new ScanOutput(Tensor.of(y, x.shape()), Tensor.of(next, state.shape()));
    }

    private static Tensor require(String op, String what, Tensor t) {
        if (t == null) {
            throw new RecurException(op + ": " + what + " is required");
        }
        return t;
    }

    private static void addInto(Tensor t, float[] g) {
        float[] target = t == null ? null : t.gradBuffer();
        if (target == null) {
            return;
        }
        for (int i = 0; i < target.length; i++) {
            target[i] += g[i];
        }
    }

    /** Validates every shape against x [B, T, H, P] and b [B, T, G, N]. */
    private static SsdInputs inputs(String op, Tensor x, Tensor dt, Tensor a, Tensor b, Tensor c, Tensor dSkip,
                                    Tensor h0) {
        require(op, "x", x);
        Shapes.requireRank(op, "x [batch, seqLen, heads, headDim]", x, 4);
        require(op, "b", b);
        Shapes.requireRank(op, "b [batch, seqLen, groups, dState]", b, 4);
        int batch = x.dim(0);
        int seqLen = x.dim(1);
        int heads = x.dim(2);
        int headDim = x.dim(3);
        int groups = b.dim(2);
        int dState = b.dim(3);
        Shapes.require(op, "dt [batch, seqLen, heads]", new int[] {batch, seqLen, heads}, require(op, "dt", dt).shape());
        Shapes.require(op, "A [heads]", new int[] {heads}, require(op, "A", a).shape());
        Shapes.require(op, "b [batch, seqLen, groups, dState]", new int[] {batch, seqLen, groups, dState}, b.shape());
        Shapes.require(op, "c (same as b)", b.shape(), require(op, "c", c).shape());
        if (groups == 0 || heads % groups != 0) {
            throw new RecurException(op + ": heads must be a multiple of groups, got heads=" + heads + " groups="
                    + groups);
        }
        if (dSkip != null) {
            Shapes.require(op, "D [heads]", new int[] {heads}, dSkip.shape());
        }
        if (h0 != null) {
            Shapes.require(op, "h0 [batch, heads, headDim, dState]", new int[] {batch, heads, headDim, dState},
                    h0.shape());
        }
        return new SsdInputs(x.data(), dt.data(), a.data(), b.data(), c.data(), dSkip == null ? null : dSkip.data(),
                h0 == null ? null : h0.data(), batch, seqLen, heads, headDim, groups, dState);
    }
}
