package dev.recur.layers.rnn;

import dev.recur.core.kernel.gemm.Gemm;
import dev.recur.core.kernel.gemm.GemmPackedB;
import dev.recur.core.kernel.elementwise.BinaryOp;
import dev.recur.core.kernel.elementwise.Elementwise;
import dev.recur.core.kernel.elementwise.ElementwiseKernel;

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
        // W_hh^T packed once for all steps: packing it at every step cost more than the step's product.
        GemmPackedB whhT = Gemm.packB(true, hidden, g4, w.whh, 0, hidden);
        for (int s = 0; s < steps; s++) {
            int t = tr.position(s);
            int p = tr.previous(t);
            float[] hPrev = p < 0 ? h0 : y;
            float[] cPrev = p < 0 ? c0 : cells;
            int prevOff = p < 0 ? 0 : p * sh;
            int gOff = t * batch * g4;
            Gemm.sgemm(false, batch, hPrev, prevOff, hidden, whhT, gates, gOff, g4, true);
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
     * The nonlinearities run on the elementwise kernels, whose SIMD and scalar paths agree to the bit, so the
     * result never depends on whether the JIT has compiled this loop yet.
     */
    private static void cellForward(float[] gates, int gOff, float[] cPrev, int pOff, float[] cells,
                                    float[] cellTanh, float[] y, int hOff, int batch, int hidden) {
        ElementwiseKernel k = Elementwise.kernel();
        for (int b = 0; b < batch; b++) {
            int gb = gOff + b * 4 * hidden; // [4H] row of this batch element: i, f, g, o
            int hb = hOff + b * hidden;
            int pb = pOff + b * hidden;
            k.sigmoid(gates, gb, gates, gb, 2 * hidden);
            k.tanh(gates, gb + 2 * hidden, gates, gb + 2 * hidden, hidden);
            k.sigmoid(gates, gb + 3 * hidden, gates, gb + 3 * hidden, hidden);
            // c = f * cPrev + i * g
            k.binary(BinaryOp.MUL, gates, gb, gates, gb + 2 * hidden, cells, hb, hidden);
            k.mulAdd(gates, gb + hidden, cPrev, pb, cells, hb, hidden);
            k.tanh(cells, hb, cellTanh, hb, hidden);
            k.binary(BinaryOp.MUL, gates, gb + 3 * hidden, cellTanh, hb, y, hb, hidden);
        }
    }
}
