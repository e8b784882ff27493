package dev.recur.layers.rnn;

import dev.recur.core.kernel.elementwise.CellUpdates;
import dev.recur.core.kernel.gemm.Gemm;
import dev.recur.core.kernel.gemm.GemmPackedB;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast LSTM sequence kernel with a projection (PyTorch's {@code proj_size}; Sak et al., 2014):
 * {@code c' = f c + i g}, {@code m = o tanh(c')}, {@code h' = W_hr m} with {@code h} of {@code P < H} features.
 * The projection needs every unit's {@code m} before the next step can start, so the step is whole-batch GEMMs
 * rather than {@link LstmSequence}'s per-thread unit ranges: the input side of all timesteps in one GEMM
 * ({@link SequenceGemm#inputProjection}), then per step {@code h W_hh^T} added in, the fused cell update
 * ({@link CellUpdates#lstmForward}) and {@code m W_hr^T}. Backward per step: {@code dm = dh' W_hr}, the gate
 * gradients (SIMD), {@code dh = dGates W_hh}; the weight gradients, {@code W_hr}'s included
 * ({@code dH^T M}), are batched over all timesteps afterwards. {@link ProjectedLstmReference} is the scalar twin.
 * With lengths, a row past its length gets its previous states copied over its computed ones, and in the backward
 * has no gate gradients and keeps its state gradients.
 */
final class ProjectedLstmSequence implements SequenceKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Override
    public SequenceTrace forward(CellWeights w, float[] x, int steps, int batch, float[] h0, float[] c0,
                                 boolean reverse, boolean record, int[] lengths) {
        int hidden = w.hidden;
        int proj = w.proj;
        int g4 = 4 * hidden;
        int sh = batch * hidden;
        int sp = batch * proj;
        int slots = SequenceTrace.blocks(record, steps);
        float[] gates = new float[slots * batch * g4]; // [T, B, 4H] (two steps unless recorded)
        float[] cells = new float[slots * sh]; // [T, B, H]
        float[] cellTanh = new float[slots * sh]; // [T, B, H]
        float[] m = new float[slots * sh]; // [T, B, H]: o * tanh(c)
        float[] y = new float[steps * sp]; // [T, B, P]
        SequenceTrace tr = new SequenceTrace(x, steps, batch, hidden, reverse, lengths, record, h0, c0, y,
                new float[sp], new float[sh], gates, cells, cellTanh, m);
        float[] pre = SequenceGemm.inputProjection(w, x, steps * batch); // [T, B, 4H]
        GemmPackedB whhT = Gemm.packB(true, proj, g4, w.whh, 0, proj); // W_hh^T [P, 4H]
        GemmPackedB whrT = Gemm.packB(true, hidden, proj, w.whr, 0, hidden); // W_hr^T [H, P]
        float[] rows = new float[batch * g4]; // [B, 4H]
        for (int s = 0; s < steps; s++) {
            int t = tr.position(s);
            int slot = tr.slot(s, t);
            int p = tr.previous(t);
            float[] hPrev = p < 0 ? h0 : y;
            float[] cPrev = p < 0 ? c0 : cells;
            int hPrevOff = p < 0 ? 0 : p * sp;
            int cPrevOff = p < 0 ? 0 : tr.slot(s - 1, p) * sh;
            System.arraycopy(pre, t * batch * g4, rows, 0, batch * g4);
            Gemm.sgemm(false, batch, hPrev, hPrevOff, proj, whhT, rows, 0, g4, true);
            CellUpdates.lstmForward(rows, batch, hidden, hidden, cPrev, cPrevOff, gates, slot * batch * g4,
                    cells, slot * sh, cellTanh, slot * sh, m, slot * sh);
            Gemm.sgemm(false, batch, m, slot * sh, hidden, whrT, y, t * sp, proj, false);
            tr.carry(t, hPrev, hPrevOff, y, t * sp, proj, proj);
            tr.carry(t, cPrev, cPrevOff, cells, slot * sh, hidden, hidden);
        }
        int last = tr.position(steps - 1);
        System.arraycopy(y, last * sp, tr.hN, 0, sp);
        System.arraycopy(cells, tr.slot(steps - 1, last) * sh, tr.cN, 0, sh);
        return tr;
    }

    @Override
    public void backward(CellWeights w, SequenceTrace tr, float[] dy, float[] dhN, float[] dcN,
                         float[] dx, float[] dh0, float[] dc0) {
        int hidden = w.hidden;
        int proj = w.proj;
        int batch = tr.batch;
        int g4 = 4 * hidden;
        int sh = batch * hidden;
        int sp = batch * proj;
        float[] dGates = new float[tr.steps * batch * g4]; // [T, B, 4H]
        float[] dOut = new float[tr.steps * sp]; // [T, B, P]: gradient of each step's h', zero past a row's length
        float[] dm = new float[sh]; // [B, H]
        float[] dh = dhN.clone(); // [B, P]
        float[] dc = dcN.clone(); // [B, H]
        float[] kept = tr.lengths == null ? null : new float[sp]; // [B, P]: dh of the rows past their length
        GemmPackedB whr = Gemm.packB(false, proj, hidden, w.whr, 0, hidden); // W_hr [P, H]
        GemmPackedB whh = Gemm.packB(false, g4, proj, w.whh, 0, proj); // W_hh [4H, P]
        for (int s = tr.steps - 1; s >= 0; s--) {
            int t = tr.position(s);
            for (int b = 0; b < batch; b++) {
                int off = t * sp + b * proj;
                if (!tr.active(t, b)) {
                    System.arraycopy(dh, b * proj, kept, b * proj, proj);
                    continue;
                }
                for (int k = 0; k < proj; k++) {
                    dOut[off + k] = dy[off + k] + dh[b * proj + k];
                }
            }
            Gemm.sgemm(false, batch, dOut, t * sp, proj, whr, dm, 0, hidden, false);
            gateGradients(tr, t, dm, dc, dGates);
            Gemm.sgemm(false, batch, dGates, t * batch * g4, g4, whh, dh, 0, proj, false);
            for (int b = 0; b < batch; b++) {
                if (!tr.active(t, b)) {
                    System.arraycopy(kept, b * proj, dh, b * proj, proj);
                }
            }
        }
        System.arraycopy(dh, 0, dh0, 0, sp);
        System.arraycopy(dc, 0, dc0, 0, sh);
        SequenceGemm.backwardWeights(w, tr, dGates, SequenceGemm.HiddenSide.all(dGates), dx);
        SequenceGemm.addBiasGradients(w, tr, dGates);
        if (w.gradWhr != null) {
            Gemm.sgemm(true, false, proj, hidden, tr.steps * batch, dOut, 0, proj, tr.projected, 0, hidden,
                    w.gradWhr, 0, hidden, true);
        }
    }

    /**
     * The gate gradients of position {@code t} from {@code dm}, the gradient of {@code o tanh(c)}, and {@code dc};
     * updates {@code dc}. Rows past their length are skipped (their gate gradients stay zero, their {@code dc}
     * passes through). Only multiplications, subtractions and fused multiply-adds, so the SIMD lanes and the
     * scalar tail give the same bits.
     */
    private static void gateGradients(SequenceTrace tr, int t, float[] dm, float[] dc, float[] dGates) {
        int hidden = tr.hidden;
        int batch = tr.batch;
        int sh = batch * hidden;
        int p = tr.previous(t);
        float[] cPrev = p < 0 ? tr.c0 : tr.aux;
        int prevOff = p < 0 ? 0 : p * sh;
        float[] gates = tr.gates;
        float[] cellTanh = tr.cellTanh;
        int vectorEnd = S.loopBound(hidden);
        for (int b = 0; b < batch; b++) {
            if (!tr.active(t, b)) {
                continue;
            }
            int gb = (t * batch + b) * 4 * hidden; // i, f, g, o at gb, gb + H, gb + 2H, gb + 3H
            int hb = t * sh + b * hidden;
            int sb = b * hidden;
            int pb = prevOff + b * hidden;
            int j = 0;
            for (; j < vectorEnd; j += S.length()) {
                FloatVector i = FloatVector.fromArray(S, gates, gb + j);
                FloatVector f = FloatVector.fromArray(S, gates, gb + hidden + j);
                FloatVector g = FloatVector.fromArray(S, gates, gb + 2 * hidden + j);
                FloatVector o = FloatVector.fromArray(S, gates, gb + 3 * hidden + j);
                FloatVector tc = FloatVector.fromArray(S, cellTanh, hb + j);
                FloatVector dmt = FloatVector.fromArray(S, dm, sb + j);
                FloatVector one = FloatVector.broadcast(S, 1f);
                FloatVector dct = dmt.mul(o).fma(one.sub(tc.mul(tc)), FloatVector.fromArray(S, dc, sb + j));
                dct.mul(g).mul(i).mul(one.sub(i)).intoArray(dGates, gb + j);
                dct.mul(FloatVector.fromArray(S, cPrev, pb + j)).mul(f).mul(one.sub(f))
                        .intoArray(dGates, gb + hidden + j);
                dct.mul(i).mul(one.sub(g.mul(g))).intoArray(dGates, gb + 2 * hidden + j);
                dmt.mul(tc).mul(o).mul(one.sub(o)).intoArray(dGates, gb + 3 * hidden + j);
                dct.mul(f).intoArray(dc, sb + j);
            }
            for (; j < hidden; j++) {
                float i = gates[gb + j];
                float f = gates[gb + hidden + j];
                float g = gates[gb + 2 * hidden + j];
                float o = gates[gb + 3 * hidden + j];
                float tc = cellTanh[hb + j];
                float dmt = dm[sb + j];
                float dct = Math.fma(dmt * o, 1f - tc * tc, dc[sb + j]);
                dGates[gb + j] = dct * g * i * (1f - i);
                dGates[gb + hidden + j] = dct * cPrev[pb + j] * f * (1f - f);
                dGates[gb + 2 * hidden + j] = dct * i * (1f - g * g);
                dGates[gb + 3 * hidden + j] = dmt * tc * o * (1f - o);
                dc[sb + j] = dct * f;
            }
        }
    }
}
