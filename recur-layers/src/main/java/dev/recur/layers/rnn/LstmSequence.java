package dev.recur.layers.rnn;

import static dev.recur.layers.rnn.SequenceGemm.sigmoid;
import static dev.recur.layers.rnn.SequenceGemm.tanh;

import dev.recur.core.kernel.gemm.Gemm;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast LSTM sequence kernel. Forward: one GEMM projects every timestep's input onto the four gates
 * (i, f, g, o), then per step one recurrent GEMM {@code [B, H] x [H, 4H]} accumulates into that step's rows and
 * a fused loop applies the gate nonlinearities and the cell update
 * {@code c' = f c + i g, h' = o tanh(c')}, overwriting the pre-activations with the gate values that the
 * backward reuses. Backward: per step the gate gradients and one GEMM {@code [B, 4H] x [4H, H]} for the
 * hidden-state gradient; the weight gradients are batched over all timesteps afterwards. The gate loop runs on
 * the Vector API; {@link LstmCellReference} is its scalar twin.
 */
final class LstmSequence implements SequenceKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    @Override
    public SequenceTrace forward(CellWeights w, float[] x, int steps, int batch, float[] h0, float[] c0,
                                 boolean reverse) {
        int hidden = w.hidden;
        int g4 = 4 * hidden;
        int sh = batch * hidden;
        float[] gates = SequenceGemm.inputProjection(w, x, steps * batch, true); // [T, B, 4H]
        float[] y = new float[steps * sh]; // [T, B, H]
        float[] cells = new float[steps * sh]; // [T, B, H]
        float[] cellTanh = new float[steps * sh]; // [T, B, H]
        SequenceTrace tr = new SequenceTrace(x, steps, batch, hidden, reverse, h0, c0, y,
                new float[sh], new float[sh], gates, cells, cellTanh);
        for (int s = 0; s < steps; s++) {
            int t = tr.position(s);
            int p = tr.previous(t);
            float[] hPrev = p < 0 ? h0 : y;
            float[] cPrev = p < 0 ? c0 : cells;
            int prevOff = p < 0 ? 0 : p * sh;
            int gOff = t * batch * g4;
            Gemm.sgemm(false, true, batch, g4, hidden, hPrev, prevOff, hidden, w.whh, 0, hidden,
                    gates, gOff, g4, true);
            cellForward(gates, gOff, cPrev, prevOff, cells, cellTanh, y, t * sh, batch, hidden);
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
        int g4 = 4 * hidden;
        int batch = tr.batch;
        int sh = batch * hidden;
        float[] dGates = new float[tr.steps * batch * g4]; // [T, B, 4H]
        float[] dh = dhN.clone(); // [B, H]
        float[] dc = dcN.clone(); // [B, H]
        for (int s = tr.steps - 1; s >= 0; s--) {
            int t = tr.position(s);
            int p = tr.previous(t);
            float[] cPrev = p < 0 ? tr.c0 : tr.aux;
            int prevOff = p < 0 ? 0 : p * sh;
            int gOff = t * batch * g4;
            for (int b = 0; b < batch; b++) {
                int gb = gOff + b * g4;
                int hb = t * sh + b * hidden;
                for (int j = 0; j < hidden; j++) {
                    float i = tr.gates[gb + j];
                    float f = tr.gates[gb + hidden + j];
                    float g = tr.gates[gb + 2 * hidden + j];
                    float o = tr.gates[gb + 3 * hidden + j];
                    float tc = tr.cellTanh[hb + j];
                    float dht = dy[hb + j] + dh[b * hidden + j];
                    float dct = Math.fma(dht * o, 1f - tc * tc, dc[b * hidden + j]);
                    float dOut = dht * tc;
                    dGates[gb + j] = dct * g * i * (1f - i);
                    dGates[gb + hidden + j] = dct * cPrev[prevOff + b * hidden + j] * f * (1f - f);
                    dGates[gb + 2 * hidden + j] = dct * i * (1f - g * g);
                    dGates[gb + 3 * hidden + j] = dOut * o * (1f - o);
                    dc[b * hidden + j] = dct * f;
                }
            }
            Gemm.sgemm(false, false, batch, hidden, g4, dGates, gOff, g4, w.whh, 0, hidden, dh, 0, hidden, false);
        }
        System.arraycopy(dh, 0, dh0, 0, sh);
        System.arraycopy(dc, 0, dc0, 0, sh);
        SequenceGemm.backwardWeights(w, tr, dGates, dGates, dx);
    }

    /**
     * One step's gate nonlinearities and cell update for every batch row, in place: the pre-activations
     * {@code gates [B, 4H]} at {@code gOff} become i, f, g, o; writes {@code c}, {@code tanh(c)} and {@code h}.
     */
    private static void cellForward(float[] gates, int gOff, float[] cPrev, int pOff, float[] cells,
                                    float[] cellTanh, float[] y, int hOff, int batch, int hidden) {
        int lanes = SPECIES.length();
        int bound = SPECIES.loopBound(hidden);
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        for (int b = 0; b < batch; b++) {
            int gb = gOff + b * 4 * hidden; // [4H] row of this batch element
            int hb = hOff + b * hidden;
            int pb = pOff + b * hidden;
            int j = 0;
            for (; j < bound; j += lanes) {
                FloatVector i = one.div(FloatVector.fromArray(SPECIES, gates, gb + j).neg()
                        .lanewise(VectorOperators.EXP).add(one));
                FloatVector f = one.div(FloatVector.fromArray(SPECIES, gates, gb + hidden + j).neg()
                        .lanewise(VectorOperators.EXP).add(one));
                FloatVector g = FloatVector.fromArray(SPECIES, gates, gb + 2 * hidden + j)
                        .lanewise(VectorOperators.TANH);
                FloatVector o = one.div(FloatVector.fromArray(SPECIES, gates, gb + 3 * hidden + j).neg()
                        .lanewise(VectorOperators.EXP).add(one));
                FloatVector c = f.fma(FloatVector.fromArray(SPECIES, cPrev, pb + j), i.mul(g));
                FloatVector tc = c.lanewise(VectorOperators.TANH);
                i.intoArray(gates, gb + j);
                f.intoArray(gates, gb + hidden + j);
                g.intoArray(gates, gb + 2 * hidden + j);
                o.intoArray(gates, gb + 3 * hidden + j);
                c.intoArray(cells, hb + j);
                tc.intoArray(cellTanh, hb + j);
                o.mul(tc).intoArray(y, hb + j);
            }
            for (; j < hidden; j++) {
                float i = sigmoid(gates[gb + j]);
                float f = sigmoid(gates[gb + hidden + j]);
                float g = tanh(gates[gb + 2 * hidden + j]);
                float o = sigmoid(gates[gb + 3 * hidden + j]);
                float c = Math.fma(f, cPrev[pb + j], i * g);
                float tc = tanh(c);
                gates[gb + j] = i;
                gates[gb + hidden + j] = f;
                gates[gb + 2 * hidden + j] = g;
                gates[gb + 3 * hidden + j] = o;
                cells[hb + j] = c;
                cellTanh[hb + j] = tc;
                y[hb + j] = o * tc;
            }
        }
    }
}
