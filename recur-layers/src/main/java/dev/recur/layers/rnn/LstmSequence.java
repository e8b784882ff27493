package dev.recur.layers.rnn;

import dev.recur.core.kernel.elementwise.CellUpdates;
import dev.recur.core.kernel.gemm.Gemm;
import dev.recur.core.kernel.gemm.GemmPackedB;
import dev.recur.core.parallel.ComputePool;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast LSTM sequence kernel. Forward: per step each part of a {@link HiddenSplit} projects the step's input
 * onto its own units' columns of the four gates (i, f, g, o), adds the biases and the previous hidden state times
 * its columns of {@code W_hh^T} (both weight slices packed once per sequence), applies the gate nonlinearities and
 * the cell update {@code c' = f c + i g, h' = o tanh(c')}, and stores the gate values that the backward reuses.
 * Backward: per step each part computes its units' gate gradients, then, once every part has, the hidden-state
 * gradient of its units, {@code dGates [B, 4H] x W_hh[:, units]}; the weight
 * gradients are batched over all timesteps afterwards. Each step is one {@link ComputePool#runPinned} hand-off.
 * The cell update is {@link CellUpdates#lstmForward}; {@link LstmCellReference} is the scalar twin. With lengths,
 * a row past its length gets its previous states copied over its computed ones, and in the backward has no gate
 * gradients and keeps its state gradients (the hidden-state product then adds into them).
 */
final class LstmSequence implements SequenceKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Override
    public SequenceTrace forward(CellWeights w, float[] x, int steps, int batch, float[] h0, float[] c0,
                                 boolean reverse, boolean record, int[] lengths) {
        int hidden = w.hidden;
        int g4 = 4 * hidden;
        int sh = batch * hidden;
        int slots = SequenceTrace.blocks(record, steps);
        float[] gates = new float[slots * batch * g4]; // [T, B, 4H] (two steps unless recorded): the gate values
        float[] y = new float[steps * sh]; // [T, B, H]
        float[] cells = new float[slots * sh]; // [T, B, H]
        float[] cellTanh = new float[slots * sh]; // [T, B, H]
        SequenceTrace tr = new SequenceTrace(x, steps, batch, hidden, reverse, lengths, record, h0, c0, y,
                new float[sh], new float[sh], gates, cells, cellTanh, null);
        HiddenSplit split = HiddenSplit.forSharedPool(hidden, 4, batch);
        ForwardPart[] parts = new ForwardPart[split.parts()];
        for (int p = 0; p < parts.length; p++) {
            parts[p] = new ForwardPart(w, x, batch, split.start(p), split.width(p));
        }
        ComputePool pool = ComputePool.shared();
        for (int s = 0; s < steps; s++) {
            int t = tr.position(s);
            int slot = tr.slot(s, t);
            int p = tr.previous(t);
            float[] hPrev = p < 0 ? h0 : y;
            float[] cPrev = p < 0 ? c0 : cells;
            int hPrevOff = p < 0 ? 0 : p * sh;
            int cPrevOff = p < 0 ? 0 : tr.slot(s - 1, p) * sh;
            pool.runPinned(parts.length, part -> parts[part].step(tr, t, slot, hPrev, hPrevOff, cPrev, cPrevOff));
        }
        int last = tr.position(steps - 1);
        System.arraycopy(y, last * sh, tr.hN, 0, sh);
        System.arraycopy(cells, tr.slot(steps - 1, last) * sh, tr.cN, 0, sh);
        return tr;
    }

    @Override
    public void backward(CellWeights w, SequenceTrace tr, float[] dy, float[] dhN, float[] dcN,
                         float[] dx, float[] dh0, float[] dc0) {
        int hidden = w.hidden;
        int batch = tr.batch;
        int sh = batch * hidden;
        float[] dGates = new float[tr.steps * batch * 4 * hidden]; // [T, B, 4H]
        float[] dh = dhN.clone(); // [B, H]
        float[] dc = dcN.clone(); // [B, H]
        HiddenSplit split = HiddenSplit.forSharedPool(hidden, 4, batch);
        BackwardPart[] parts = new BackwardPart[split.parts()];
        for (int p = 0; p < parts.length; p++) {
            parts[p] = new BackwardPart(w, tr, dy, dGates, dh, dc, split.start(p), split.width(p));
        }
        HiddenSplit.backward(tr.steps, parts);
        System.arraycopy(dh, 0, dh0, 0, sh);
        System.arraycopy(dc, 0, dc0, 0, sh);
        SequenceGemm.backwardWeights(w, tr, dGates, SequenceGemm.HiddenSide.all(dGates), dx);
        for (BackwardPart part : parts) { // both biases take the same gradient
            part.biasSums.addInto(w.gradBih, 0);
            part.biasSums.addInto(w.gradBhh, 0);
        }
    }

    /**
     * One part's forward: its share of the input projection ({@link StepInputProjection}), its columns of
     * {@code W_hh^T} ([i, f, g, o] of its units, packed once and kept in this core's cache) and its gate rows.
     */
    private static final class ForwardPart {
        private final int batch;
        private final int hidden;
        private final int j0;
        private final int width;
        private final float[] x;
        private final StepInputProjection input;
        private final GemmPackedB whhT;
        private final float[] rows; // [B, 4 * width]: i, f, g, o of this part's units

        ForwardPart(CellWeights w, float[] x, int batch, int j0, int width) {
            this.batch = batch;
            this.hidden = w.hidden;
            this.j0 = j0;
            this.width = width;
            this.x = x;
            this.input = new StepInputProjection(w, 4, batch, j0, width, w.bih, w.bhh);
            float[] slice = HiddenSplit.unitRows(w.whh, 4, hidden, hidden, j0, width); // [4 * width, H]
            this.whhT = Gemm.packB(true, hidden, 4 * width, slice, 0, hidden);
            this.rows = new float[batch * 4 * width];
        }

        /** Position {@code t}, kept in block {@code slot} of the per-position buffers. */
        void step(SequenceTrace tr, int t, int slot, float[] hPrev, int hPrevOff, float[] cPrev, int cPrevOff) {
            int sh = batch * hidden;
            input.project(x, t, rows);
            Gemm.sgemm(false, batch, hPrev, hPrevOff, hidden, whhT, rows, 0, 4 * width, true);
            CellUpdates.lstmForward(rows, batch, width, hidden, cPrev, cPrevOff + j0, tr.gates, slot * 4 * sh + j0,
                    tr.aux, slot * sh + j0, tr.cellTanh, slot * sh + j0, tr.y, t * sh + j0);
            tr.carry(t, hPrev, hPrevOff + j0, tr.y, t * sh + j0, hidden, width);
            tr.carry(t, cPrev, cPrevOff + j0, tr.aux, slot * sh + j0, hidden, width);
        }
    }

    /** One part's backward: its units' gate gradients and its columns of the hidden-state gradient. */
    private static final class BackwardPart implements HiddenSplit.BackwardPart {
        private final SequenceTrace tr;
        private final float[] dy;
        final UnitColumnSums biasSums;
        private final float[] dGates;
        private final float[] dh;
        private final float[] dc;
        private final int hidden;
        private final int j0;
        private final int j1;
        private final GemmPackedB whh;

        BackwardPart(CellWeights w, SequenceTrace tr, float[] dy, float[] dGates, float[] dh, float[] dc, int j0,
                     int width) {
            this.tr = tr;
            this.dy = dy;
            this.biasSums = new UnitColumnSums(4, w.hidden, j0, width);
            this.dGates = dGates;
            this.dh = dh;
            this.dc = dc;
            this.hidden = w.hidden;
            this.j0 = j0;
            this.j1 = j0 + width;
            this.whh = Gemm.packB(false, 4 * hidden, width, w.whh, j0, hidden); // W_hh[:, j0:j1], [4H, width]
        }

        /**
         * Writes this part's gate gradients at step {@code s} from {@code dh}, {@code dc}; updates its {@code dc}.
         * Only multiplications, subtractions and fused multiply-adds, so the SIMD lanes and the scalar tail give
         * the same bits. With lengths, a row past its length is skipped and an active row's {@code dh} is zeroed
         * once read, so that {@link #hiddenGradient} can add into every row.
         */
        @Override
        public void gateGradients(int s) {
            int t = tr.position(s);
            int p = tr.previous(t);
            float[] cPrev = p < 0 ? tr.c0 : tr.aux;
            int batch = tr.batch;
            int sh = batch * hidden;
            int prevOff = p < 0 ? 0 : p * sh;
            int gOff = t * batch * 4 * hidden;
            float[] gates = tr.gates;
            float[] cellTanh = tr.cellTanh;
            int vectorEnd = j0 + S.loopBound(j1 - j0);
            for (int b = 0; b < batch; b++) {
                if (!tr.active(t, b)) {
                    continue;
                }
                int gb = gOff + b * 4 * hidden; // i, f, g, o at gb, gb + H, gb + 2H, gb + 3H
                int hb = t * sh + b * hidden;
                int sb = b * hidden;
                int pb = prevOff + b * hidden;
                int j = j0;
                for (; j < vectorEnd; j += S.length()) {
                    FloatVector i = FloatVector.fromArray(S, gates, gb + j);
                    FloatVector f = FloatVector.fromArray(S, gates, gb + hidden + j);
                    FloatVector g = FloatVector.fromArray(S, gates, gb + 2 * hidden + j);
                    FloatVector o = FloatVector.fromArray(S, gates, gb + 3 * hidden + j);
                    FloatVector tc = FloatVector.fromArray(S, cellTanh, hb + j);
                    FloatVector dht = FloatVector.fromArray(S, dy, hb + j).add(FloatVector.fromArray(S, dh, sb + j));
                    FloatVector one = FloatVector.broadcast(S, 1f);
                    FloatVector dct = dht.mul(o).fma(one.sub(tc.mul(tc)), FloatVector.fromArray(S, dc, sb + j));
                    dct.mul(g).mul(i).mul(one.sub(i)).intoArray(dGates, gb + j);
                    dct.mul(FloatVector.fromArray(S, cPrev, pb + j)).mul(f).mul(one.sub(f))
                            .intoArray(dGates, gb + hidden + j);
                    dct.mul(i).mul(one.sub(g.mul(g))).intoArray(dGates, gb + 2 * hidden + j);
                    dht.mul(tc).mul(o).mul(one.sub(o)).intoArray(dGates, gb + 3 * hidden + j);
                    dct.mul(f).intoArray(dc, sb + j);
                }
                for (; j < j1; j++) {
                    float i = gates[gb + j];
                    float f = gates[gb + hidden + j];
                    float g = gates[gb + 2 * hidden + j];
                    float o = gates[gb + 3 * hidden + j];
                    float tc = cellTanh[hb + j];
                    float dht = dy[hb + j] + dh[sb + j];
                    float dct = Math.fma(dht * o, 1f - tc * tc, dc[sb + j]);
                    dGates[gb + j] = dct * g * i * (1f - i);
                    dGates[gb + hidden + j] = dct * cPrev[pb + j] * f * (1f - f);
                    dGates[gb + 2 * hidden + j] = dct * i * (1f - g * g);
                    dGates[gb + 3 * hidden + j] = dht * tc * o * (1f - o);
                    dc[sb + j] = dct * f;
                }
                if (tr.lengths != null) {
                    Arrays.fill(dh, sb + j0, sb + j1, 0f);
                }
            }
            biasSums.add(dGates, gOff, 4 * hidden, batch);
        }

        /**
         * {@code dh[:, j0:j1] = dGates(step s) W_hh[:, j0:j1]}: the gradient of the state before step s (added, with
         * lengths, to what the rows past their length keep).
         */
        @Override
        public void hiddenGradient(int s) {
            int batch = tr.batch;
            int gOff = tr.position(s) * batch * 4 * hidden;
            Gemm.sgemm(false, batch, dGates, gOff, 4 * hidden, whh, dh, j0, hidden, tr.lengths != null);
        }
    }
}
