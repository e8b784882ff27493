package dev.recur.layers.rnn;

import dev.recur.core.kernel.gemm.Gemm;
import dev.recur.core.kernel.gemm.GemmPackedB;

/**
 * The fast kernel of the LSTM's {@link CellVariant}s (ONNX's LSTM: peepholes, clip, coupled input and forget gates,
 * any of sigmoid, tanh and ReLU in each of the three activation slots); {@link LstmVariantReference} states the
 * equations and is the scalar twin. The output gate's peephole reads the new cell state, so a step's gate update
 * runs in passes over each batch row: the peephole terms of {@code i} and {@code f}, the clip, the activations of
 * {@code i, f, g} as vector passes ({@link GateRows}), the cell update, then the output gate. Each step is
 * whole-batch GEMMs like {@link ProjectedLstmSequence}'s: the input side of all timesteps in one GEMM first, then
 * {@code h W_hh^T} per step. Backward per step: the gate gradients (scalar, each unit's in one place), then
 * {@code dh = dGates W_hh}; the weight and bias gradients are batched over all timesteps afterwards, the peepholes'
 * summed in the loop. With lengths, a row past its length gets its previous states copied over its computed ones,
 * and in the backward has no gate gradients and keeps its state gradients.
 */
final class LstmVariantSequence implements SequenceKernel {
    @Override
    public SequenceTrace forward(CellWeights w, float[] x, int steps, int batch, float[] h0, float[] c0,
                                 boolean reverse, boolean record, int[] lengths) {
        GateSpec spec = w.spec;
        int hidden = w.hidden;
        int g4 = 4 * hidden;
        int sh = batch * hidden;
        float[] gates = new float[steps * batch * g4]; // [T, B, 4H]: i, f, g, o
        float[] raw = spec.clips() ? new float[steps * batch * g4] : null; // [T, B, 4H] before the clip
        float[] cells = new float[steps * sh]; // [T, B, H]
        float[] cellOut = new float[steps * sh]; // [T, B, H]: h(c)
        float[] y = new float[steps * sh]; // [T, B, H]
        SequenceTrace tr = new SequenceTrace(x, steps, batch, hidden, reverse, lengths, true, h0, c0, y,
                new float[sh], new float[sh], gates, cells, cellOut, null, raw);
        float[] pre = SequenceGemm.inputProjection(w, x, steps * batch); // [T, B, 4H], both biases added
        GemmPackedB whhT = Gemm.packB(true, hidden, g4, w.whh, 0, hidden); // W_hh^T [H, 4H]
        float[] p = w.peephole;
        for (int s = 0; s < steps; s++) {
            int t = tr.position(s);
            int prevPos = tr.previous(t);
            float[] hPrev = prevPos < 0 ? h0 : y;
            float[] cPrev = prevPos < 0 ? c0 : cells;
            int prevOff = prevPos < 0 ? 0 : prevPos * sh;
            int gOff = t * batch * g4;
            Gemm.sgemm(false, batch, hPrev, prevOff, hidden, whhT, pre, gOff, g4, true);
            for (int b = 0; b < batch; b++) {
                int gb = gOff + b * g4; // i, f, g, o pre-activations of this row
                int cp = prevOff + b * hidden;
                int hb = t * sh + b * hidden;
                if (p != null) {
                    for (int j = 0; j < hidden; j++) {
                        pre[gb + j] = Math.fma(p[j], cPrev[cp + j], pre[gb + j]);
                        pre[gb + hidden + j] = Math.fma(p[hidden + j], cPrev[cp + j], pre[gb + hidden + j]);
                    }
                }
                GateRows.clip(spec, pre, gb, 3 * hidden, raw, gb);
                GateRows.activate(spec.f(), pre, gb, gates, gb, spec.coupledInputForget() ? hidden : 2 * hidden);
                GateRows.activate(spec.g(), pre, gb + 2 * hidden, gates, gb + 2 * hidden, hidden);
                for (int j = 0; j < hidden; j++) {
                    if (spec.coupledInputForget()) {
                        gates[gb + hidden + j] = 1f - gates[gb + j];
                    }
                    float ig = gates[gb + j] * gates[gb + 2 * hidden + j];
                    float c = Math.fma(gates[gb + hidden + j], cPrev[cp + j], ig);
                    cells[hb + j] = c;
                    if (p != null) {
                        pre[gb + 3 * hidden + j] = Math.fma(p[2 * hidden + j], c, pre[gb + 3 * hidden + j]);
                    }
                }
                GateRows.clip(spec, pre, gb + 3 * hidden, hidden, raw, gb + 3 * hidden);
                GateRows.activate(spec.f(), pre, gb + 3 * hidden, gates, gb + 3 * hidden, hidden);
                GateRows.activate(spec.h(), cells, hb, cellOut, hb, hidden);
                for (int j = 0; j < hidden; j++) {
                    y[hb + j] = gates[gb + 3 * hidden + j] * cellOut[hb + j];
                }
            }
            tr.carry(t, hPrev, prevOff, y, t * sh, hidden, hidden);
            tr.carry(t, cPrev, prevOff, cells, t * sh, hidden, hidden);
        }
        int last = tr.position(steps - 1) * sh;
        System.arraycopy(y, last, tr.hN, 0, sh);
        System.arraycopy(cells, last, tr.cN, 0, sh);
        return tr;
    }

    @Override
    public void backward(CellWeights w, SequenceTrace tr, float[] dy, float[] dhN, float[] dcN,
                         float[] dx, float[] dh0, float[] dc0) {
        GateSpec spec = w.spec;
        int hidden = w.hidden;
        int batch = tr.batch;
        int g4 = 4 * hidden;
        int sh = batch * hidden;
        float[] dGates = new float[tr.steps * batch * g4]; // [T, B, 4H]
        float[] dh = dhN.clone(); // [B, H]
        float[] dc = dcN.clone(); // [B, H]
        GemmPackedB whh = Gemm.packB(false, g4, hidden, w.whh, 0, hidden); // W_hh [4H, H]
        for (int s = tr.steps - 1; s >= 0; s--) {
            int t = tr.position(s);
            gateGradients(w, spec, tr, t, dy, dh, dc, dGates);
            // The rows past their length have zero gate gradients: adding their product keeps their dh.
            Gemm.sgemm(false, batch, dGates, t * batch * g4, g4, whh, dh, 0, hidden, true);
        }
        System.arraycopy(dh, 0, dh0, 0, sh);
        System.arraycopy(dc, 0, dc0, 0, sh);
        SequenceGemm.backwardWeights(w, tr, dGates, SequenceGemm.HiddenSide.all(dGates), dx);
        SequenceGemm.addBiasGradients(w, tr, dGates);
    }

    /**
     * The gate gradients of position {@code t} from {@code dy}, the state gradients {@code dh} and {@code dc};
     * sets each active row's {@code dh} to zero (the caller adds {@code dGates W_hh}) and its {@code dc} to the
     * gradient of the previous cell state, and adds the peepholes' gradients. Rows past their length are skipped.
     */
    private static void gateGradients(CellWeights w, GateSpec spec, SequenceTrace tr, int t, float[] dy, float[] dh,
                                      float[] dc, float[] dGates) {
        int hidden = tr.hidden;
        int batch = tr.batch;
        int sh = batch * hidden;
        int prevPos = tr.previous(t);
        float[] cPrev = prevPos < 0 ? tr.c0 : tr.aux;
        int prevOff = prevPos < 0 ? 0 : prevPos * sh;
        float[] gates = tr.gates;
        float[] raw = tr.pre;
        float[] p = w.peephole;
        float[] gp = w.gradPeephole;
        boolean coupled = spec.coupledInputForget();
        for (int b = 0; b < batch; b++) {
            if (!tr.active(t, b)) {
                continue;
            }
            int gb = (t * batch + b) * 4 * hidden;
            int hb = t * sh + b * hidden;
            int sb = b * hidden;
            int pb = prevOff + b * hidden;
            for (int j = 0; j < hidden; j++) {
                float i = gates[gb + j];
                float f = gates[gb + hidden + j];
                float g = gates[gb + 2 * hidden + j];
                float o = gates[gb + 3 * hidden + j];
                float hc = tr.cellTanh[hb + j];
                float cp = cPrev[pb + j];
                float dht = dy[hb + j] + dh[sb + j];
                float dPreO = raw != null && !spec.passes(raw[gb + 3 * hidden + j]) ? 0f
                        : dht * hc * spec.f().derivative(o);
                float dct = dc[sb + j] + dht * o * spec.h().derivative(hc);
                if (p != null) {
                    dct = Math.fma(dPreO, p[2 * hidden + j], dct);
                }
                float di = dct * g;
                float df = dct * cp;
                float dPreF = 0f;
                if (coupled) {
                    di -= df;
                } else if (raw == null || spec.passes(raw[gb + hidden + j])) {
                    dPreF = df * spec.f().derivative(f);
                }
                float dPreI = raw != null && !spec.passes(raw[gb + j]) ? 0f : di * spec.f().derivative(i);
                float dPreG = raw != null && !spec.passes(raw[gb + 2 * hidden + j]) ? 0f
                        : dct * i * spec.g().derivative(g);
                dGates[gb + j] = dPreI;
                dGates[gb + hidden + j] = dPreF;
                dGates[gb + 2 * hidden + j] = dPreG;
                dGates[gb + 3 * hidden + j] = dPreO;
                float dcPrev = dct * f;
                if (p != null) {
                    dcPrev = Math.fma(dPreI, p[j], Math.fma(dPreF, p[hidden + j], dcPrev));
                }
                dc[sb + j] = dcPrev;
                dh[sb + j] = 0f;
                if (gp != null) {
                    gp[j] = Math.fma(dPreI, cp, gp[j]);
                    gp[hidden + j] = Math.fma(dPreF, cp, gp[hidden + j]);
                    gp[2 * hidden + j] = Math.fma(dPreO, tr.aux[hb + j], gp[2 * hidden + j]);
                }
            }
        }
    }
}
