package dev.recur.core.scan.wkv;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.KernelMode;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * The WKV recurrence as an autograd op: output sequence and final state from keys, values, the decay, the
 * bonus of the current token, and an initial state; one derivative rule covers all four outputs
 * ({@link WkvKernel} gives the equations).
 */
public final class Wkv {
    /** The numerator and denominator value of a fresh state; its maximum exponent is {@link #EMPTY_MAX}. */
    public static final float EMPTY_SUM = 0f;
    /** The maximum exponent of a fresh state: small enough that its (zero) sums weigh nothing. */
    public static final float EMPTY_MAX = -1e30f;

    private static final WkvKernel KERNEL = kernel(KernelMode.current());

    private Wkv() {}

    /** The kernel for a mode: {@link WkvVector} or its scalar twin {@link WkvReference}. */
    public static WkvKernel kernel(KernelMode mode) {
        return mode == KernelMode.VECTOR ? new WkvVector() : new WkvReference();
    }

    /** The output {@code [B, T, D]} and the final numerator, denominator and maximum exponent {@code [B, D]}. */
    public record Result(Tensor output, Tensor num, Tensor den, Tensor max) {}

    /**
     * Runs the recurrence.
     *
     * @param decay {@code w = -exp(time_decay)} {@code [D]}
     * @param first {@code u = time_first} {@code [D]}
     * @param key   {@code [B, T, D]}
     * @param value {@code [B, T, D]}
     * @param num   initial numerator {@code [B, D]}
     * @param den   initial denominator {@code [B, D]}
     * @param max   initial maximum exponent {@code [B, D]}
     */
    public static Result forward(Tensor decay, Tensor first, Tensor key, Tensor value, Tensor num, Tensor den,
                                 Tensor max) {
        if (key.rank() != 3) {
            throw new RecurException("wkv: expected key [B, T, D], got " + Shapes.format(key.shape()));
        }
        int batch = key.dim(0);
        int steps = key.dim(1);
        int channels = key.dim(2);
        Shapes.require("wkv", "value", key.shape(), value.shape());
        Shapes.require("wkv", "decay", new int[] {channels}, decay.shape());
        Shapes.require("wkv", "first", new int[] {channels}, first.shape());
        int[] stateShape = {batch, channels};
        Shapes.require("wkv", "state numerator", stateShape, num.shape());
        Shapes.require("wkv", "state denominator", stateShape, den.shape());
        Shapes.require("wkv", "state maximum", stateShape, max.shape());

        float[] y = new float[key.size()];
        float[] aT = new float[batch * channels];
        float[] bT = new float[batch * channels];
        float[] pT = new float[batch * channels];
        Tensor[] inputs = {decay, first, key, value, num, den, max};
        WkvTrace trace = needsGrad(inputs) ? new WkvTrace(key.size()) : null;
        KERNEL.forward(batch, steps, channels, decay.data(), first.data(), key.data(), value.data(),
                num.data(), den.data(), max.data(), y, aT, bT, pT, trace);
        Tensor[] out = Tensor.results("wkv", new float[][] {y, aT, bT, pT},
                new int[][] {key.shape(), stateShape, stateShape, stateShape},
                g -> KERNEL.backward(batch, steps, channels, decay.data(), first.data(), key.data(), value.data(),
                        trace, g[0], g[1], g[2], g[3], decay.gradBuffer(), first.gradBuffer(), key.gradBuffer(),
                        value.gradBuffer(), num.gradBuffer(), den.gradBuffer(), max.gradBuffer()),
                inputs);
        return new Result(out[0], out[1], out[2], out[3]);
    }

    private static boolean needsGrad(Tensor[] inputs) {
        if (!GradMode.isEnabled()) {
            return false;
        }
        for (Tensor t : inputs) {
            if (t.tracksGrad()) {
                return true;
            }
        }
        return false;
    }
}
