package dev.recur.layers.rnn;

import dev.recur.core.kernel.gemm.Gemm;
import dev.recur.core.kernel.gemm.GemmPackedB;
import dev.recur.core.kernel.elementwise.CellUpdates;
import dev.recur.core.parallel.ComputePool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast GRU sequence kernel, PyTorch's formulation: {@code r = sigma(x_r + h_r)}, {@code z = sigma(x_z + h_z)},
 * {@code n = tanh(x_n + r * h_n)}, {@code h' = (1 - z) n + z h}, where {@code x_* = W_i* x + b_i*} and
 * {@code h_* = W_h* h + b_h*} are both computed at each step, each part projecting onto its own units' columns. The
 * reset gate multiplies {@code h_n} after its bias, so the two sides stay separate: the backward keeps the input
 * side's gate gradients and, apart, the hidden side's for {@code n} (those for {@code r} and {@code z} are the input
 * side's). As in {@link LstmSequence}, each part of a {@link HiddenSplit} owns a range of hidden units for the whole
 * sequence: per step it multiplies by its own columns of {@code W_hh^T} and {@code W_ih^T} (packed once) and updates
 * its units, and in the backward it computes its units' gate gradients and then its columns of the hidden-state
 * gradient, one {@link ComputePool#runPinned} hand-off per step. The gate update is {@link CellUpdates#gruForward};
 * {@link GruCellReference} is its scalar twin. With lengths, a row past its length gets its previous state copied
 * over its computed one, and in the backward has no gate gradients and keeps its state gradient.
 */
final class GruSequence implements SequenceKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Override
    public SequenceTrace forward(CellWeights w, float[] x, int steps, int batch, float[] h0, float[] c0,
                                 boolean reverse, boolean record, int[] lengths) {
        int hidden = w.hidden;
        int sh = batch * hidden;
        int slots = SequenceTrace.blocks(record, steps);
        float[] gates = new float[slots * batch * 3 * hidden]; // [T, B, 3H] (two steps unless recorded): the gates
        float[] y = new float[steps * sh]; // [T, B, H]
        float[] hn = new float[slots * sh]; // [T, B, H]
        SequenceTrace tr = new SequenceTrace(x, steps, batch, hidden, reverse, lengths, record, h0, null, y,
                new float[sh], null, gates, hn, null, null);
        HiddenSplit split = HiddenSplit.forSharedPool(hidden, 3, batch);
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
            int prevOff = p < 0 ? 0 : p * sh;
            pool.runPinned(parts.length, part -> parts[part].step(tr, t, slot, hPrev, prevOff));
        }
        System.arraycopy(y, tr.position(steps - 1) * sh, tr.hN, 0, sh);
        return tr;
    }

    @Override
    public void backward(CellWeights w, SequenceTrace tr, float[] dy, float[] dhN, float[] dcN,
                         float[] dx, float[] dh0, float[] dc0) {
        int hidden = w.hidden;
        int batch = tr.batch;
        float[] dGx = new float[tr.steps * batch * 3 * hidden]; // [T, B, 3H]
        // The hidden side's r and z gradients are the input side's; only n differs (times r).
        float[] dGhn = new float[tr.steps * batch * hidden]; // [T, B, H]
        float[] dh = dhN.clone(); // [B, H]
        HiddenSplit split = HiddenSplit.forSharedPool(hidden, 3, batch);
        BackwardPart[] parts = new BackwardPart[split.parts()];
        for (int p = 0; p < parts.length; p++) {
            parts[p] = new BackwardPart(w, tr, dy, dGx, dGhn, dh, split.start(p), split.width(p));
        }
        HiddenSplit.backward(tr.steps, parts);
        System.arraycopy(dh, 0, dh0, 0, batch * hidden);
        SequenceGemm.backwardWeights(w, tr, dGx, new SequenceGemm.HiddenSide(dGx, 2, dGhn), dx);
        for (BackwardPart part : parts) { // b_hr and b_hz take the input side's gradient, b_hn its own
            part.inputSums.addInto(w.gradBih, 0);
            part.inputSums.addInto(w.gradBhh, 0, 2);
            part.hiddenNSums.addInto(w.gradBhh, 2 * hidden);
        }
    }

    /** One part's forward: its columns of {@code W_hh^T} ([r, z, n] of its units) and their biases. */
    private static final class ForwardPart {
        private final int batch;
        private final int hidden;
        private final int j0;
        private final int width;
        private final float[] x;
        private final StepInputProjection input;
        private final GemmPackedB whhT;
        private final float[] bias; // [3 * width], or null
        private final float[] hw; // [B, 3 * width]: W_h* h + b_h* of this part's units
        private final float[] xs; // [B, 3 * width]: the input side of this part's units

        ForwardPart(CellWeights w, float[] x, int batch, int j0, int width) {
            this.batch = batch;
            this.hidden = w.hidden;
            this.j0 = j0;
            this.width = width;
            this.x = x;
            this.input = new StepInputProjection(w, 3, batch, j0, width, w.bih);
            float[] slice = HiddenSplit.unitRows(w.whh, 3, hidden, hidden, j0, width); // [3 * width, H]
            this.whhT = Gemm.packB(true, hidden, 3 * width, slice, 0, hidden);
            this.bias = w.bhh == null ? null : HiddenSplit.unitRows(w.bhh, 3, hidden, 1, j0, width);
            this.hw = new float[batch * 3 * width];
            this.xs = new float[batch * 3 * width];
        }

        /** Position {@code t}, kept in block {@code slot} of the per-position buffers. */
        void step(SequenceTrace tr, int t, int slot, float[] hPrev, int prevOff) {
            int sh = batch * hidden;
            Gemm.sgemm(false, batch, hPrev, prevOff, hidden, whhT, hw, 0, 3 * width, false);
            if (bias != null) {
                SequenceGemm.addToRows(hw, 0, batch, 3 * width, bias);
            }
            input.project(x, t, xs); // the input side, x_t W_ih^T + b_ih, of this part's units
            CellUpdates.gruForward(xs, hw, batch, width, hidden, hPrev, prevOff + j0, tr.gates, slot * 3 * sh + j0,
                    tr.aux, slot * sh + j0, tr.y, t * sh + j0);
            tr.carry(t, hPrev, prevOff + j0, tr.y, t * sh + j0, hidden, width);
        }
    }

    /** One part's backward: its units' gate gradients and its columns of the hidden-state gradient. */
    private static final class BackwardPart implements HiddenSplit.BackwardPart {
        private final SequenceTrace tr;
        private final float[] dy;
        final UnitColumnSums inputSums;
        final UnitColumnSums hiddenNSums;
        private final float[] dGx;
        private final float[] dGhn;
        private final float[] dh;
        private final int hidden;
        private final int j0;
        private final int j1;
        private final GemmPackedB whhRz;
        private final GemmPackedB whhN;

        BackwardPart(CellWeights w, SequenceTrace tr, float[] dy, float[] dGx, float[] dGhn, float[] dh, int j0,
                     int width) {
            this.tr = tr;
            this.dy = dy;
            this.inputSums = new UnitColumnSums(3, w.hidden, j0, width);
            this.hiddenNSums = new UnitColumnSums(1, w.hidden, j0, width);
            this.dGx = dGx;
            this.dGhn = dGhn;
            this.dh = dh;
            this.hidden = w.hidden;
            this.j0 = j0;
            this.j1 = j0 + width;
            this.whhRz = Gemm.packB(false, 2 * hidden, width, w.whh, j0, hidden); // W_hh[0:2H, j0:j1]
            this.whhN = Gemm.packB(false, hidden, width, w.whh, 2 * hidden * hidden + j0, hidden); // W_hh[2H:3H, j0:j1]
        }

        /**
         * Writes this part's gate gradients at step {@code s} from {@code dh}, and sets its columns of {@code dh}
         * to the gradient that reaches the previous state through {@code z} alone. Only multiplications,
         * additions and subtractions, so the SIMD lanes and the scalar tail give the same bits. A row past its
         * length is skipped: no gate gradients, its {@code dh} kept.
         */
        @Override
        public void gateGradients(int s) {
            int t = tr.position(s);
            int p = tr.previous(t);
            float[] hPrev = p < 0 ? tr.h0 : tr.y;
            int batch = tr.batch;
            int sh = batch * hidden;
            int prevOff = p < 0 ? 0 : p * sh;
            int gOff = t * batch * 3 * hidden;
            float[] gates = tr.gates;
            float[] hn = tr.aux;
            int vectorEnd = j0 + S.loopBound(j1 - j0);
            for (int b = 0; b < batch; b++) {
                if (!tr.active(t, b)) {
                    continue;
                }
                int gb = gOff + b * 3 * hidden; // r, z, n at gb, gb + H, gb + 2H
                int hb = t * sh + b * hidden;
                int sb = b * hidden;
                int pb = prevOff + b * hidden;
                int j = j0;
                for (; j < vectorEnd; j += S.length()) {
                    FloatVector r = FloatVector.fromArray(S, gates, gb + j);
                    FloatVector z = FloatVector.fromArray(S, gates, gb + hidden + j);
                    FloatVector n = FloatVector.fromArray(S, gates, gb + 2 * hidden + j);
                    FloatVector one = FloatVector.broadcast(S, 1f);
                    FloatVector dht = FloatVector.fromArray(S, dy, hb + j).add(FloatVector.fromArray(S, dh, sb + j));
                    FloatVector dnPre = dht.mul(one.sub(z)).mul(one.sub(n.mul(n)));
                    FloatVector dzPre = dht.mul(FloatVector.fromArray(S, hPrev, pb + j).sub(n)).mul(z)
                            .mul(one.sub(z));
                    FloatVector drPre = dnPre.mul(FloatVector.fromArray(S, hn, hb + j)).mul(r).mul(one.sub(r));
                    drPre.intoArray(dGx, gb + j);
                    dzPre.intoArray(dGx, gb + hidden + j);
                    dnPre.intoArray(dGx, gb + 2 * hidden + j);
                    dnPre.mul(r).intoArray(dGhn, hb + j);
                    dht.mul(z).intoArray(dh, sb + j);
                }
                for (; j < j1; j++) {
                    float r = gates[gb + j];
                    float z = gates[gb + hidden + j];
                    float n = gates[gb + 2 * hidden + j];
                    float dht = dy[hb + j] + dh[sb + j];
                    float dnPre = dht * (1f - z) * (1f - n * n);
                    float dzPre = dht * (hPrev[pb + j] - n) * z * (1f - z);
                    float drPre = dnPre * hn[hb + j] * r * (1f - r);
                    dGx[gb + j] = drPre;
                    dGx[gb + hidden + j] = dzPre;
                    dGx[gb + 2 * hidden + j] = dnPre;
                    dGhn[hb + j] = dnPre * r;
                    dh[sb + j] = dht * z;
                }
            }
            inputSums.add(dGx, gOff, 3 * hidden, batch);
            hiddenNSums.add(dGhn, t * sh, hidden, batch);
        }

        /**
         * {@code dh[:, j0:j1] += dG_h(step s) W_hh[:, j0:j1]}, the r and z rows from the input side's gradients and
         * the n rows from their own: completes the gradient of the state before step s.
         */
        @Override
        public void hiddenGradient(int s) {
            int batch = tr.batch;
            int t = tr.position(s);
            Gemm.sgemm(false, batch, dGx, t * batch * 3 * hidden, 3 * hidden, whhRz, dh, j0, hidden, true);
            Gemm.sgemm(false, batch, dGhn, t * batch * hidden, hidden, whhN, dh, j0, hidden, true);
        }
    }
}
