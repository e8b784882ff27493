package dev.recur.layers.griffin;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.RecurException;
import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.BatchedMatmul;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.scan.diagonal.DiagonalScan;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.util.Arrays;

/**
 * The Real-Gated Linear Recurrent Unit (Griffin, section 2.4), with per-block gate matrices as transformers
 * stores them. For {@code x_t [lruWidth]} split into {@code heads} blocks of {@code w} channels:
 * <pre>
 *   i_t = sigmoid(x_t W_i + b_i)             r_t = sigmoid(x_t W_r + b_r)      (block-diagonal, W [heads, w, w])
 *   log a_t = -8 r_t softplus(lambda)        a_t = exp(log a_t)
 *   h_t = a_t h_{t-1} + sqrt(1 - a_t^2) (i_t x_t)
 * </pre>
 * At position 0 the stream starts afresh: {@code a_0 = 0} and the normaliser is 1, so {@code h_0 = i_0 x_0}. The
 * square root's derivative is capped ({@link BoundedSqrt}); the recurrence runs on {@link DiagonalScan}.
 */
final class RgLru {
    /** Outputs {@code [B, T, L]} (every {@code h_t}) and the last hidden state {@code [B, L]}. */
    record Result(Tensor output, Tensor state) {}

    private final Tensor recurrentParam; // [L]
    private final Tensor inputGateWeight; // [heads, w, w]
    private final Tensor inputGateBias; // [heads, w]
    private final Tensor recurrentGateWeight; // [heads, w, w]
    private final Tensor recurrentGateBias; // [heads, w]
    private final int heads;
    private final int blockWidth;

    RgLru(Tensor recurrentParam, Tensor inputGateWeight, Tensor inputGateBias, Tensor recurrentGateWeight,
          Tensor recurrentGateBias) {
        this.heads = inputGateWeight.dim(0);
        this.blockWidth = inputGateWeight.dim(1);
        this.recurrentParam = recurrentParam;
        this.inputGateWeight = inputGateWeight;
        this.inputGateBias = inputGateBias;
        this.recurrentGateWeight = recurrentGateWeight;
        this.recurrentGateBias = recurrentGateBias;
    }

    /** {@code x [B, T, L]} from state {@code h [B, L]}, the chunk starting at position {@code start}. */
    Result forward(Tensor x, Tensor h, long start) {
        int width = heads * blockWidth;
        if (x.rank() != 3 || x.dim(2) != width) {
            throw new RecurException("rg_lru: expected x [B, T, " + width + "], got " + Shapes.format(x.shape()));
        }
        int batch = x.dim(0);
        int steps = x.dim(1);
        Shapes.require("rg_lru", "state", new int[] {batch, width}, h.shape());
        Tensor inputGate = Activations.sigmoid(gate(x, inputGateWeight, inputGateBias));
        Tensor recurrentGate = Activations.sigmoid(gate(x, recurrentGateWeight, recurrentGateBias));
        Tensor logA = Arithmetic.mul(Arithmetic.mul(recurrentGate, -8f), Activations.softplus(recurrentParam));
        Tensor a = Activations.exp(logA);
        Tensor aSquare = Activations.exp(Arithmetic.mul(logA, 2f));
        Tensor gated = Arithmetic.mul(x, inputGate);
        Tensor multiplier = BoundedSqrt.apply(Arithmetic.add(Arithmetic.neg(aSquare), 1f));
        if (start == 0) {
            // Position 0 resets the stream: a = 0 and the normaliser is 1 there.
            Tensor keep = resetMask(steps, 0f, 1f); // [1, T, 1]
            multiplier = Arithmetic.add(Arithmetic.mul(multiplier, keep), resetMask(steps, 1f, 0f));
            a = Arithmetic.mul(a, keep);
        }
        Tensor normalized = Arithmetic.mul(gated, multiplier);
        ScanOutput scan = DiagonalScan.apply(a, normalized, h);
        return new Result(scan.output(), scan.state());
    }

    /** {@code x W + b} block by block: {@code x [B, T, heads*w]}, {@code W [heads, w, w]}, {@code b [heads, w]}. */
    private Tensor gate(Tensor x, Tensor weight, Tensor bias) {
        int batch = x.dim(0);
        int steps = x.dim(1);
        Tensor blocks = Reshaping.reshape(x, batch * steps, heads, blockWidth);
        blocks = Reshaping.permute(blocks, 1, 0, 2); // [heads, B*T, w]
        Tensor y = BatchedMatmul.bmm(blocks, weight); // [heads, B*T, w]
        y = Arithmetic.add(y, Reshaping.reshape(bias, heads, 1, blockWidth));
        y = Reshaping.permute(y, 1, 0, 2); // [B*T, heads, w]
        return Reshaping.reshape(y, batch, steps, heads * blockWidth);
    }

    /** {@code [1, T, 1]} holding {@code first} at t = 0 and {@code rest} after. */
    private static Tensor resetMask(int steps, float first, float rest) {
        float[] m = new float[steps];
        Arrays.fill(m, rest);
        m[0] = first;
        return Tensor.of(m, 1, steps, 1);
    }
}
