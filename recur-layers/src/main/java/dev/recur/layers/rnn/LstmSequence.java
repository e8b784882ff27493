package dev.recur.layers.rnn;

import dev.recur.core.kernel.elementwise.BinaryOp;
import dev.recur.core.kernel.elementwise.Elementwise;
import dev.recur.core.kernel.elementwise.ElementwiseKernel;
import dev.recur.core.kernel.gemm.Gemm;
import dev.recur.core.kernel.gemm.GemmPackedB;
import dev.recur.core.parallel.ComputePool;
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
 * The nonlinearities run on the elementwise kernels; {@link LstmCellReference} is the scalar twin.
 */
final class LstmSequence implements SequenceKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Override
    public SequenceTrace forward(CellWeights w, float[] x, int steps, int batch, float[] h0, float[] c0,
                                 boolean reverse) {
        int hidden = w.hidden;
        int g4 = 4 * hidden;
        int sh = batch * hidden;
        float[] gates = new float[steps * batch * g4]; // [T, B, 4H], the gate values, written by the steps
        float[] y = new float[steps * sh]; // [T, B, H]
        float[] cells = new float[steps * sh]; // [T, B, H]
        float[] cellTanh = new float[steps * sh]; // [T, B, H]
        SequenceTrace tr = new SequenceTrace(x, steps, batch, hidden, reverse, h0, c0, y,
                new float[sh], new float[sh], gates, cells, cellTanh);
        HiddenSplit split = HiddenSplit.forSharedPool(hidden, 4, batch);
        ForwardPart[] parts = new ForwardPart[split.parts()];
        for (int p = 0; p < parts.length; p++) {
            parts[p] = new ForwardPart(w, x, batch, split.start(p), split.width(p));
        }
        ComputePool pool = ComputePool.shared();
        for (int s = 0; s < steps; s++) {
            int t = tr.position(s);
            int p = tr.previous(t);
            float[] hPrev = p < 0 ? h0 : y;
            float[] cPrev = p < 0 ? c0 : cells;
            int prevOff = p < 0 ? 0 : p * sh;
            pool.runPinned(parts.length, part -> parts[part].step(tr, t, hPrev, cPrev, prevOff));
        }
        int last = tr.position(steps - 1) * sh;
        System.arraycopy(y, last, tr.hN, 0, sh);
        System.arraycopy(cells, last, tr.cN, 0, sh);
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
        SequenceGemm.backwardWeights(w, tr, dGates, dGates, dx);
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
            this.input = w.bih == null ? new StepInputProjection(w, 4, batch, j0, width)
                    : new StepInputProjection(w, 4, batch, j0, width, w.bih, w.bhh);
            float[] slice = HiddenSplit.unitRows(w.whh, 4, hidden, hidden, j0, width); // [4 * width, H]
            this.whhT = Gemm.packB(true, hidden, 4 * width, slice, 0, hidden);
            this.rows = new float[batch * 4 * width];
        }

        void step(SequenceTrace tr, int t, float[] hPrev, float[] cPrev, int prevOff) {
            int g4 = 4 * hidden;
            int gOff = t * batch * g4;
            input.project(x, t, rows);
            Gemm.sgemm(false, batch, hPrev, prevOff, hidden, whhT, rows, 0, 4 * width, true);
            ElementwiseKernel k = Elementwise.kernel();
            int hOff = t * batch * hidden;
            for (int b = 0; b < batch; b++) {
                int r = 4 * b * width; // this row's i, f, g, o
                int hb = hOff + b * hidden + j0;
                int pb = prevOff + b * hidden + j0;
                k.sigmoid(rows, r, rows, r, 2 * width);
                k.tanh(rows, r + 2 * width, rows, r + 2 * width, width);
                k.sigmoid(rows, r + 3 * width, rows, r + 3 * width, width);
                // c = f * cPrev + i * g
                k.binary(BinaryOp.MUL, rows, r, rows, r + 2 * width, tr.aux, hb, width);
                k.mulAdd(rows, r + width, cPrev, pb, tr.aux, hb, width);
                k.tanh(tr.aux, hb, tr.cellTanh, hb, width);
                k.binary(BinaryOp.MUL, rows, r + 3 * width, tr.cellTanh, hb, tr.y, hb, width);
                for (int g = 0; g < 4; g++) {
                    System.arraycopy(rows, r + g * width, tr.gates, gOff + b * g4 + g * hidden + j0, width);
                }
            }
        }
    }

    /** One part's backward: its units' gate gradients and its columns of the hidden-state gradient. */
    private static final class BackwardPart implements HiddenSplit.BackwardPart {
        private final SequenceTrace tr;
        private final float[] dy;
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
         * the same bits.
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
            }
        }

        /** {@code dh[:, j0:j1] = dGates(step s) W_hh[:, j0:j1]}: the gradient of the state before step s. */
        @Override
        public void hiddenGradient(int s) {
            int batch = tr.batch;
            int gOff = tr.position(s) * batch * 4 * hidden;
            Gemm.sgemm(false, batch, dGates, gOff, 4 * hidden, whh, dh, j0, hidden, false);
        }
    }
}
