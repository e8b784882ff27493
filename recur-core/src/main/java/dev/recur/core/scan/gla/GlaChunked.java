package dev.recur.core.scan.gla;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.gemm.Gemm;
import dev.recur.core.parallel.ComputePool;

/**
 * The chunkwise-parallel gated linear-attention forward (Yang et al. 2024, section 4). Time is cut into
 * chunks of length L; inside a chunk starting at s, with {@code b_t = log alpha_s + ... + log alpha_t} the
 * cumulative log-decay per key dimension (so {@code b_t - b_tau <= 0} for {@code tau <= t}):
 * <pre>
 *   o_t   = scale (q_t . exp(b_t))^T S_in                                        (carried-in state)
 *         + scale sum_{s <= tau <= t} (sum_d q_td k_taud exp(b_td - b_taud)) v_tau   (intra-chunk attention)
 *   S_out = diag(exp(b_end)) S_in + sum_tau (k_tau . exp(b_end - b_tau)) v_tau^T     (state passing)
 * </pre>
 * Every exponent above is at most zero, so nothing overflows however strong the decay. The intra-chunk scores
 * use the secondary level of the paper: the chunk is cut into sub-chunks of length c; the scores of sub-chunk
 * i against every earlier position are one matrix product of {@code q_t exp(b_t - b_r)} and
 * {@code k_tau exp(b_r - b_tau)}, both with non-positive exponents, taking as reference r the last position
 * before sub-chunk i; scores inside a sub-chunk are summed directly, with the decay from tau to t as a running
 * product of the steps' decays (factors in (0, 1], so it can only underflow towards zero). Without
 * decay (plain linear attention) the scores are the masked product {@code Q K^T}. Every sum over time is a
 * {@link Gemm#sgemm}. Equal to {@link GlaReference} up to rounding.
 *
 * <p>The backward ({@link GlaChunkedBackward}) is chunked too, on matrix products; it recomputes each chunk
 * from the state entering it, so nothing is kept between forward and backward.
 */
public final class GlaChunked implements GlaKernel {
    private final int chunk;
    private final int subChunk;

    /** Chunks of 64 steps, sub-chunks of 16. */
    public GlaChunked() {
        this(64, 16);
    }

    public GlaChunked(int chunkLength, int subChunkLength) {
        if (chunkLength < 1 || subChunkLength < 1) {
            throw new RecurException("GlaChunked: chunk and sub-chunk lengths must be >= 1, got " + chunkLength
                    + " and " + subChunkLength);
        }
        this.chunk = chunkLength;
        this.subChunk = Math.min(subChunkLength, chunkLength);
    }

    @Override
    public void forward(GlaInputs in, float[] o, float[] hT) {
        int heads = in.heads();
        ComputePool.shared().parallelFor(in.batch() * heads, task -> run(in, task / heads, task % heads, o, hT));
    }

    /** The chunked backward: see {@link GlaChunkedBackward}. */
    @Override
    public void backward(GlaInputs in, float[] go, float[] ghT, GlaGrads grads) {
        GlaChunkedBackward.backward(in, chunk, subChunk, go, ghT, grads);
    }

    private void run(GlaInputs in, int bi, int h, float[] o, float[] hT) {
        int kv = in.keyDim() * in.valueDim();
        int task = bi * in.heads() + h;
        float[] state = new float[kv]; // [K, V]
        if (in.h0() != null) {
            System.arraycopy(in.h0(), task * kv, state, 0, kv);
        }
        GlaChunk c = new GlaChunk(in, bi, h, chunk, subChunk);
        for (int s = 0; s < in.seqLen(); s += chunk) {
            c.prepare(s, Math.min(chunk, in.seqLen() - s));
            c.advance(state, o);
        }
        System.arraycopy(state, 0, hT, task * kv, kv);
    }
}
