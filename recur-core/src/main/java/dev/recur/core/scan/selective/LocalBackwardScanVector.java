package dev.recur.core.scan.selective;

import dev.recur.core.parallel.ComputePool;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The local backward scan vectorised across channels, as {@link SelectiveScanVector}: a block of {@code L}
 * channels keeps its {@code N x L} state in a small buffer while a window runs right to left, so each state
 * index is a few full-vector operations and {@code y} needs no horizontal sum. Channels after the last full
 * vector go through {@link LocalBackwardScanReference}. Tasks are (batch entry, group of
 * {@value SelectiveScanVector#GROUP} channels), fixed by the sizes alone, and every sum over lanes runs in a
 * fixed order, so the results are the same bits whatever the thread count.
 *
 * <p>Nothing is stored for the backward: the window's states are zero at its end, so the backward re-runs
 * each window's scan from scratch (keeping {@code 2 * W * N * L} floats of one block) and then walks the
 * adjoint left to right. The extra cost is one forward, as in the paper's kernel.
 */
public final class LocalBackwardScanVector implements LocalBackwardScanKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int GROUP = SelectiveScanVector.GROUP;

    @Override
    public void forward(SelectiveScanInputs in, int window, float[] y) {
        int n = in.dState();
        int groups = (in.channels() + GROUP - 1) / GROUP;
        ComputePool.shared().parallelFor(in.batch() * groups, task -> {
            int bi = task / groups;
            int g0 = (task % groups) * GROUP;
            int g1 = Math.min(in.channels(), g0 + GROUP);
            int vecEnd = g0 + (g1 - g0) / L * L;
            float[] state = new float[n * L];
            float[] aT = new float[n * L];
            float[] decay = new float[n * L];
            for (int d0 = g0; d0 < vecEnd; d0 += L) {
                SelectiveScanVector.transposeA(in, d0, aT);
                for (int w0 = 0; w0 < in.seqLen(); w0 += window) {
                    scanWindow(in, bi, d0, w0, Math.min(in.seqLen(), w0 + window), aT, state, y, decay, null);
                }
            }
            for (int d = vecEnd; d < g1; d++) {
                for (int w0 = 0; w0 < in.seqLen(); w0 += window) {
                    LocalBackwardScanReference.forwardWindow(in, bi, d, w0, Math.min(in.seqLen(), w0 + window), y,
                            null, null);
                }
            }
        });
    }

    /**
     * The right-to-left scan of steps {@code [w0, w1)} for the block at {@code d0}. Writes {@code y} when
     * non-null. When {@code carried} is non-null, keeps {@code [W, N, L]} decays (in {@code decay}) and
     * carried states, indexed from {@code w0}; otherwise {@code decay} is one step's {@code [N, L]} scratch.
     */
    private static void scanWindow(SelectiveScanInputs in, int bi, int d0, int w0, int w1, float[] aT,
                                   float[] state, float[] y, float[] decay, float[] carried) {
        int seqLen = in.seqLen();
        int dd = in.channels();
        int n = in.dState();
        int nl = n * L;
        float[] b = in.b();
        float[] c = in.c();
        Arrays.fill(state, 0f);
        for (int t = w1 - 1; t >= w0; t--) {
            int i = (bi * seqLen + t) * dd + d0; // [B, T, D]
            int row = (bi * seqLen + t) * n;     // [B, T, N]
            int at = carried == null ? 0 : (t - w0) * nl;
            SelectiveScanVector.decayRow(in.delta(), i, aT, 0, n, decay, at);
            FloatVector du = FloatVector.fromArray(S, in.delta(), i).mul(FloatVector.fromArray(S, in.u(), i));
            FloatVector acc = FloatVector.zero(S);
            for (int s = 0; s < n; s++) {
                FloatVector h = FloatVector.fromArray(S, state, s * L);
                if (carried != null) {
                    h.intoArray(carried, at + s * L);
                }
                FloatVector q = FloatVector.fromArray(S, decay, at + s * L).mul(h);
                acc = q.fma(FloatVector.broadcast(S, c[row + s]), acc);
                du.fma(FloatVector.broadcast(S, b[row + s]), q).intoArray(state, s * L);
            }
            if (y != null) {
                acc.intoArray(y, i);
            }
        }
    }

    @Override
    public void backward(SelectiveScanInputs in, int window, float[] gy, SelectiveScanGrads grads) {
        int batch = in.batch();
        int dd = in.channels();
        int n = in.dState();
        int groups = (dd + GROUP - 1) / GROUP;
        int btn = batch * in.seqLen() * n;
        // Tasks of different channel groups share dB and dC, tasks of different batch entries share dA: each
        // writes its own partial sum, and the partials are added in a fixed order afterwards.
        float[][] pb = groups == 1 ? new float[][] {grads.b()} : new float[groups][btn];
        float[][] pc = groups == 1 ? new float[][] {grads.c()} : new float[groups][btn];
        float[][] pa = batch == 1 ? new float[][] {grads.a()} : new float[batch][dd * n];
        int w = Math.min(window, in.seqLen());
        ComputePool.shared().parallelFor(batch * groups, task -> {
            int bi = task / groups;
            int g = task % groups;
            int g0 = g * GROUP;
            int g1 = Math.min(dd, g0 + GROUP);
            int vecEnd = g0 + (g1 - g0) / L * L;
            SelectiveScanGrads target = new SelectiveScanGrads(grads.u(), grads.delta(), pa[bi], pb[g], pc[g],
                    null, null);
            int nl = n * L;
            float[] aT = new float[nl];
            float[] state = new float[nl];
            float[] decay = new float[w * nl];
            float[] carried = new float[w * nl];
            float[] accB = new float[w * nl];
            float[] accC = new float[w * nl];
            float[] dAacc = new float[nl];
            for (int d0 = g0; d0 < vecEnd; d0 += L) {
                SelectiveScanVector.transposeA(in, d0, aT);
                Arrays.fill(dAacc, 0f);
                for (int w0 = 0; w0 < in.seqLen(); w0 += window) {
                    int w1 = Math.min(in.seqLen(), w0 + window);
                    scanWindow(in, bi, d0, w0, w1, aT, state, null, decay, carried);
                    adjointWindow(in, bi, d0, w0, w1, gy, target, aT, decay, carried, state, dAacc, accB, accC);
                }
                for (int l = 0; l < L; l++) {
                    for (int s = 0; s < n; s++) {
                        pa[bi][(d0 + l) * n + s] += dAacc[s * L + l];
                    }
                }
            }
            float[] gScratch = new float[n];
            for (int d = vecEnd; d < g1; d++) {
                for (int w0 = 0; w0 < in.seqLen(); w0 += window) {
                    int w1 = Math.min(in.seqLen(), w0 + window);
                    LocalBackwardScanReference.forwardWindow(in, bi, d, w0, w1, null, carried, decay);
                    LocalBackwardScanReference.backwardWindow(in, bi, d, w0, w1, gy, target, carried, decay,
                            gScratch);
                }
            }
        });
        SelectiveScanVector.addPartials(pb, grads.b());
        SelectiveScanVector.addPartials(pc, grads.c());
        SelectiveScanVector.addPartials(pa, grads.a());
    }

    /**
     * The adjoint over {@code [w0, w1)}, left to right, for one block; {@code g [N, L]} is scratch for
     * {@code dL/dhR_t}. {@code dB} and {@code dC} (sums over channels) are accumulated lane-wise over the window
     * and then reduced over lanes in a fixed order.
     */
    private static void adjointWindow(SelectiveScanInputs in, int bi, int d0, int w0, int w1, float[] gy,
                                      SelectiveScanGrads grads, float[] aT, float[] decay, float[] carried,
                                      float[] g, float[] dAacc, float[] accB, float[] accC) {
        int seqLen = in.seqLen();
        int dd = in.channels();
        int n = in.dState();
        int nl = n * L;
        float[] b = in.b();
        float[] c = in.c();
        Arrays.fill(g, 0f);
        for (int t = w0; t < w1; t++) {
            int kk = (t - w0) * nl;
            int i = (bi * seqLen + t) * dd + d0; // [B, T, D]
            int row = (bi * seqLen + t) * n;     // [B, T, N]
            FloatVector dt = FloatVector.fromArray(S, in.delta(), i);
            FloatVector ut = FloatVector.fromArray(S, in.u(), i);
            FloatVector gyt = FloatVector.fromArray(S, gy, i);
            FloatVector dtu = dt.mul(ut);
            FloatVector duAcc = FloatVector.zero(S);
            FloatVector ddt = FloatVector.zero(S);
            for (int s = 0; s < n; s++) {
                int at = kk + s * L;
                FloatVector gs = FloatVector.fromArray(S, g, s * L);
                FloatVector bS = FloatVector.broadcast(S, b[row + s]);
                FloatVector q = gyt.fma(FloatVector.broadcast(S, c[row + s]), gs);
                FloatVector dec = FloatVector.fromArray(S, decay, at);
                FloatVector decayH = dec.mul(FloatVector.fromArray(S, carried, at));
                gyt.mul(decayH).intoArray(accC, at);
                gs.mul(dtu).intoArray(accB, at);
                duAcc = gs.fma(dt.mul(bS), duAcc);
                ddt = gs.fma(bS.mul(ut), q.fma(FloatVector.fromArray(S, aT, s * L).mul(decayH), ddt));
                FloatVector da = FloatVector.fromArray(S, dAacc, s * L);
                da.add(q.mul(dt).mul(decayH)).intoArray(dAacc, s * L);
                dec.mul(q).intoArray(g, s * L);
            }
            FloatVector.fromArray(S, grads.u(), i).add(duAcc).intoArray(grads.u(), i);
            FloatVector.fromArray(S, grads.delta(), i).add(ddt).intoArray(grads.delta(), i);
        }
        SelectiveScanVector.addLaneSums(accB, grads.b(), bi, seqLen, n, w0, w1);
        SelectiveScanVector.addLaneSums(accC, grads.c(), bi, seqLen, n, w0, w1);
    }
}
