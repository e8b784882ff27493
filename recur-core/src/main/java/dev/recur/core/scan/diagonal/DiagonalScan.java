package dev.recur.core.scan.diagonal;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.RecurException;
import dev.recur.core.kernel.KernelMode;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * The differentiable diagonal scan {@code h_t = a_t * h_{t-1} + b_t}, element-wise over channels.
 *
 * <p>Shapes: {@code a}, {@code b} {@code [batch, seqLen, channels]}; {@code h0} {@code [batch, channels]} or
 * null for zeros. Returns a {@link ScanOutput}: the output {@code h [batch, seqLen, channels]} and the state {@code hT
 * [batch, channels]}, both differentiable through one hand-written backward (see {@link DiagonalScanKernel}). The
 * backward keeps only the forward's own output {@code h} besides the inputs.
 */
public final class DiagonalScan {
    private static final String OP = "diagonalScan";
    private static final DiagonalScanKernel REFERENCE = new DiagonalScanReference();
    private static final DiagonalScanKernel VECTOR = new DiagonalScanVector();

    private DiagonalScan() {}

    /** The kernel a mode selects: the reference twin, or the time-chunked vector kernel. */
    public static DiagonalScanKernel kernel(KernelMode mode) {
        return mode == KernelMode.REFERENCE ? REFERENCE : VECTOR;
    }

    /** Runs the scan with the kernel that the current mode selects. */
    public static ScanOutput apply(Tensor a, Tensor b, Tensor h0) {
        validate(a, b, h0);
        return apply(kernel(KernelMode.current()), a, b, h0);
    }

    /** Runs the scan with a given kernel (tests and benchmarks compare kernels through this). */
    public static ScanOutput apply(DiagonalScanKernel kernel, Tensor a, Tensor b, Tensor h0) {
        validate(a, b, h0);
        int batch = a.dim(0);
        int seqLen = a.dim(1);
        int channels = a.dim(2);
        float[] h = new float[a.size()];
        float[] hT = new float[batch * channels];
        float[] h0Data = h0 == null ? null : h0.data();
        kernel.forward(a.data(), b.data(), h0Data, h, hT, batch, seqLen, channels);
        Tensor[] inputs = h0 == null ? new Tensor[] {a, b} : new Tensor[] {a, b, h0};
        Tensor[] out = Tensor.results(OP, new float[][] {h, hT}, new int[][] {a.shape(), {batch, channels}}, grads -> {
            float[] da = new float[h.length];
            float[] db = new float[h.length];
            float[] dh0 = h0 != null && h0.tracksGrad() ? new float[hT.length] : null;
            kernel.backward(a.data(), h, h0Data, grads[0], grads[1], da, db, dh0, batch, seqLen, channels);
            addInto(a.gradBuffer(), da);
            addInto(b.gradBuffer(), db);
            if (dh0 != null) {
                addInto(h0.gradBuffer(), dh0);
            }
        }, inputs);
        return ScanOutput.of(out);
    }

    /**
     * One step for streaming inference, without autograd: {@code a_t}, {@code b_t} and {@code state} are
     * {@code [batch, channels]}; returns the new state {@code a_t * state + b_t} (the same rounding as the
     * reference forward).
     */
    public static Tensor step(Tensor aT, Tensor bT, Tensor state) {
        if (aT == null || bT == null || state == null) {
            throw new RecurException(OP + ".step: a_t, b_t and state are required");
        }
        Shapes.requireRank(OP + ".step", "a_t [batch, channels]", aT, 2);
        Shapes.require(OP + ".step", "b_t (same as a_t)", aT.shape(), bT.shape());
        Shapes.require(OP + ".step", "state (same as a_t)", aT.shape(), state.shape());
        float[] a = aT.data();
        float[] b = bT.data();
        float[] h = state.data();
        float[] next = new float[h.length];
        for (int i = 0; i < next.length; i++) {
            next[i] = Math.fma(a[i], h[i], b[i]);
        }
        return Tensor.of(next, aT.shape());
    }

    private static void addInto(float[] target, float[] source) {
        if (target == null) {
            return;
        }
        for (int i = 0; i < target.length; i++) {
            target[i] += source[i];
        }
    }

    private static void validate(Tensor a, Tensor b, Tensor h0) {
        if (a == null || b == null) {
            throw new RecurException(OP + ": a and b are required, got " + (a == null ? "a=null" : "b=null"));
        }
        Shapes.requireRank(OP, "a [batch, seqLen, channels]", a, 3);
        Shapes.require(OP, "b (same as a)", a.shape(), b.shape());
        if (h0 != null) {
            Shapes.require(OP, "h0 [batch, channels]", new int[] {a.dim(0), a.dim(2)}, h0.shape());
        }
    }
}
