package dev.recur.core.scan.selective;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The backward of {@link SelectiveScanVector} for one task: one batch entry and a group of whole channel
 * blocks (L channels each). Chunks of K steps are processed from last to first; for each chunk, every block
 * re-runs its forward from the chunk's checkpoint (keeping the chunk's states and decays, {@code 2 * K * N * L}
 * floats) and then runs the adjoint recurrence over it. {@code dB} and {@code dC}, sums over channels, are
 * accumulated lane-wise across the blocks of the chunk and reduced over lanes in a fixed order at its end.
 */
final class SelectiveScanVectorBackward {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private final SelectiveScanInputs in;
    private final float[] saved;
    private final float[] gy;
    private final float[] ghT;
    private final float[] du;
    private final float[] ddelta;
    private final float[] dA;
    private final float[] dB;
    private final float[] dC;
    private final float[] dD;
    private final float[] dh0;
    private final int n;
    private final int nl;
    private final int k;
    private final int chunks;

    SelectiveScanVectorBackward(SelectiveScanInputs in, float[] saved, float[] gy, float[] ghT, float[] du,
                                float[] ddelta, float[] dA, float[] dB, float[] dC, float[] dD, float[] dh0) {
        this.in = in;
        this.saved = saved;
        this.gy = gy;
        this.ghT = ghT;
        this.du = du;
        this.ddelta = ddelta;
        this.dA = dA;
        this.dB = dB;
        this.dC = dC;
        this.dD = dD;
        this.dh0 = dh0;
        this.n = in.dState();
        this.nl = n * L;
        this.k = SelectiveScanVector.checkpointEvery(n);
        this.chunks = (in.seqLen() + k - 1) / k;
    }

    /** Adds the gradients of channels {@code [g0, g1)} (whole blocks) of batch entry {@code bi}. */
    void run(int bi, int g0, int g1) {
        int dd = in.channels();
        int blocks = (g1 - g0) / L;
        float[] aT = new float[blocks * nl];      // [blocks, N, L]
        float[] gState = new float[blocks * nl];  // [blocks, N, L]: gradient reaching h_t from later steps
        float[] dAacc = new float[blocks * nl];   // [blocks, N, L]
        float[] dDacc = new float[blocks * L];    // [blocks, L]
        float[] history = new float[(k + 1) * nl]; // [K+1, N, L]: one block's states over the chunk
        float[] decays = new float[k * nl];        // [K, N, L]
        float[] accB = new float[k * nl];          // [K, N, L]: lane-wise partial sums over channels
        float[] accC = new float[k * nl];
        for (int blk = 0; blk < blocks; blk++) {
            for (int l = 0; l < L; l++) {
                int d = g0 + blk * L + l;
                for (int s = 0; s < n; s++) {
                    aT[blk * nl + s * L + l] = in.a()[d * n + s];
                    gState[blk * nl + s * L + l] = ghT == null ? 0f : ghT[(bi * dd + d) * n + s];
                }
            }
        }
        for (int ci = chunks - 1; ci >= 0; ci--) {
            int t0 = ci * k;
            int t1 = Math.min(in.seqLen(), t0 + k);
            Arrays.fill(accB, 0f);
            Arrays.fill(accC, 0f);
            for (int blk = 0; blk < blocks; blk++) {
                int d0 = g0 + blk * L;
                refill(bi, d0, ci, t0, t1, aT, blk * nl, history, decays);
                reverse(bi, d0, t0, t1, aT, blk * nl, gState, dAacc, dDacc, blk * L, history, decays, accB, accC);
            }
            SelectiveScanVector.addLaneSums(accB, dB, bi, in.seqLen(), n, t0, t1);
            SelectiveScanVector.addLaneSums(accC, dC, bi, in.seqLen(), n, t0, t1);
        }
        for (int blk = 0; blk < blocks; blk++) {
            for (int l = 0; l < L; l++) {
                int d = g0 + blk * L + l;
                for (int s = 0; s < n; s++) {
                    dA[d * n + s] += dAacc[blk * nl + s * L + l];
                    if (dh0 != null) {
                        dh0[(bi * dd + d) * n + s] += gState[blk * nl + s * L + l];
                    }
                }
                if (dD != null) {
                    dD[d] += dDacc[blk * L + l];
                }
            }
        }
    }

    /** Re-runs the forward over {@code [t0, t1)} from the chunk's checkpoint, keeping states and decays. */
    private void refill(int bi, int d0, int ci, int t0, int t1, float[] aT, int aOff, float[] history,
                        float[] decays) {
        int dd = in.channels();
        int seqLen = in.seqLen();
        int base = (bi * chunks + ci) * n * dd + d0; // [B, chunks, N, D]
        for (int s = 0; s < n; s++) {
            FloatVector.fromArray(S, saved, base + s * dd).intoArray(history, s * L);
        }
        for (int t = t0; t < t1; t++) {
            int kk = t - t0;
            int i = (bi * seqLen + t) * dd + d0; // [B, T, D]
            int row = (bi * seqLen + t) * n;     // [B, T, N]
            SelectiveScanVector.decayRow(in.delta(), i, aT, aOff, n, decays, kk * nl);
            FloatVector dtu = FloatVector.fromArray(S, in.delta(), i).mul(FloatVector.fromArray(S, in.u(), i));
            for (int s = 0; s < n; s++) {
                FloatVector.fromArray(S, decays, kk * nl + s * L)
                        .fma(FloatVector.fromArray(S, history, kk * nl + s * L), dtu.mul(in.b()[row + s]))
                        .intoArray(history, (kk + 1) * nl + s * L);
            }
        }
    }

    /** The adjoint recurrence over {@code [t0, t1)}, right to left, for one block. */
    private void reverse(int bi, int d0, int t0, int t1, float[] aT, int aOff, float[] gState, float[] dAacc,
                         float[] dDacc, int dOff, float[] history, float[] decays, float[] accB, float[] accC) {
        int dd = in.channels();
        int seqLen = in.seqLen();
        float[] b = in.b();
        float[] c = in.c();
        FloatVector skip = in.dSkip() == null ? null : FloatVector.fromArray(S, in.dSkip(), d0);
        FloatVector dDv = FloatVector.fromArray(S, dDacc, dOff);
        for (int t = t1 - 1; t >= t0; t--) {
            int kk = t - t0;
            int i = (bi * seqLen + t) * dd + d0; // [B, T, D]
            int row = (bi * seqLen + t) * n;     // [B, T, N]
            FloatVector dt = FloatVector.fromArray(S, in.delta(), i);
            FloatVector ut = FloatVector.fromArray(S, in.u(), i);
            FloatVector gyt = FloatVector.fromArray(S, gy, i);
            FloatVector dtu = dt.mul(ut);
            dDv = gyt.fma(ut, dDv);
            FloatVector duAcc = skip == null ? FloatVector.zero(S) : gyt.mul(skip);
            FloatVector ddt = FloatVector.zero(S);
            for (int s = 0; s < n; s++) {
                int at = s * L;
                int hist = kk * nl + at;
                FloatVector hPrev = FloatVector.fromArray(S, history, hist);
                FloatVector hCur = FloatVector.fromArray(S, history, hist + nl);
                FloatVector decay = FloatVector.fromArray(S, decays, hist);
                FloatVector bS = FloatVector.broadcast(S, b[row + s]);
                FloatVector g = gyt.fma(FloatVector.broadcast(S, c[row + s]),
                        FloatVector.fromArray(S, gState, aOff + at));
                gyt.fma(hCur, FloatVector.fromArray(S, accC, hist)).intoArray(accC, hist);
                g.fma(dtu, FloatVector.fromArray(S, accB, hist)).intoArray(accB, hist);
                duAcc = g.fma(dt.mul(bS), duAcc);
                FloatVector decayH = decay.mul(hPrev);
                ddt = g.fma(FloatVector.fromArray(S, aT, aOff + at).fma(decayH, bS.mul(ut)), ddt);
                g.mul(dt).fma(decayH, FloatVector.fromArray(S, dAacc, aOff + at)).intoArray(dAacc, aOff + at);
                decay.mul(g).intoArray(gState, aOff + at);
            }
            FloatVector.fromArray(S, du, i).add(duAcc).intoArray(du, i);
            FloatVector.fromArray(S, ddelta, i).add(ddt).intoArray(ddelta, i);
        }
        dDv.intoArray(dDacc, dOff);
    }
}
