package dev.recur.core.scan.selective;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.KernelMode;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * The differentiable local backward scan of LBMamba (Zhang et al. 2025, "LBMamba: Locally Bi-directional Mamba",
 * section 3): within windows of {@code window} steps, what the later tokens of the window contribute to each
 * output of a selective scan (see {@link LocalBackwardScanKernel} for the recurrence). Adding it to
 * {@link SelectiveScan}'s output with the same inputs gives LBMamba's locally bi-directional scan, whose state
 * is {@code h_t = hL_t + hR_t - delta_t B_t u_t}.
 *
 * <p>Shapes (B batch, T seqLen, D channels, N dState): {@code u}, {@code delta} {@code [B, T, D]} ({@code delta}
 * already positive: a layer applies its bias and softplus first); {@code a} {@code [D, N]}; {@code b},
 * {@code c} {@code [B, T, N]}. Returns {@code y [B, T, D]}, differentiable with respect to every argument
 * through the kernel's hand-written backward. Nothing is kept for the backward beyond the inputs.
 */
public final class LocalBackwardScan {
    private static final String OP = "localBackwardScan";
    private static final LocalBackwardScanKernel REFERENCE = new LocalBackwardScanReference();
    private static final LocalBackwardScanKernel VECTOR = new LocalBackwardScanVector();

    private LocalBackwardScan() {}

    /** The kernel a mode selects. */
    public static LocalBackwardScanKernel kernel(KernelMode mode) {
        return mode == KernelMode.REFERENCE ? REFERENCE : VECTOR;
    }

    /** The scan with the current mode's kernel. */
    public static Tensor apply(Tensor u, Tensor delta, Tensor a, Tensor b, Tensor c, int window) {
        return apply(kernel(KernelMode.current()), u, delta, a, b, c, window);
    }

    /** The scan with a given kernel (tests and benchmarks compare kernels through this). */
    public static Tensor apply(LocalBackwardScanKernel kernel, Tensor u, Tensor delta, Tensor a, Tensor b,
                               Tensor c, int window) {
        if (window < 1) {
            throw new RecurException(OP + ": window must be >= 1, got " + window);
        }
        String[] names = {"u", "delta", "A", "b", "c"};
        Tensor[] args = {u, delta, a, b, c};
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) {
                throw new RecurException(OP + ": " + names[i] + " is required");
            }
        }
        Shapes.requireRank(OP, "u [batch, seqLen, channels]", u, 3);
        Shapes.requireRank(OP, "b [batch, seqLen, dState]", b, 3);
        int batch = u.dim(0);
        int seqLen = u.dim(1);
        int channels = u.dim(2);
        int dState = b.dim(2);
        Shapes.require(OP, "delta (same as u)", u.shape(), delta.shape());
        Shapes.require(OP, "b [batch, seqLen, dState]", new int[] {batch, seqLen, dState}, b.shape());
        Shapes.require(OP, "c (same as b)", b.shape(), c.shape());
        Shapes.require(OP, "A [channels, dState]", new int[] {channels, dState}, a.shape());
        SelectiveScanInputs in = new SelectiveScanInputs(u.data(), delta.data(), a.data(), b.data(), c.data(),
                null, null, batch, seqLen, channels, dState);
        float[] y = new float[u.size()];
        kernel.forward(in, window, y);
        return Tensor.result(OP, y, new int[] {batch, seqLen, channels}, gy -> {
            SelectiveScanGrads g = SelectiveScanGrads.zerosFor(in);
            kernel.backward(in, window, gy, g);
            addInto(u, g.u());
            addInto(delta, g.delta());
            addInto(a, g.a());
            addInto(b, g.b());
            addInto(c, g.c());
        }, u, delta, a, b, c);
    }

    private static void addInto(Tensor t, float[] g) {
        float[] target = t.gradBuffer();
        if (target == null) {
            return;
        }
        for (int i = 0; i < target.length; i++) {
            target[i] += g[i];
        }
    }
}
