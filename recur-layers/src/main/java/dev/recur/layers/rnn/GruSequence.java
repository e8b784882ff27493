package dev.recur.layers.rnn;

import dev.recur.core.kernel.gemm.Gemm;
import dev.recur.core.kernel.gemm.GemmPackedB;
import dev.recur.core.kernel.elementwise.BinaryOp;
import dev.recur.core.kernel.elementwise.Elementwise;
import dev.recur.core.kernel.elementwise.ElementwiseKernel;

/**
 * The fast GRU sequence kernel, PyTorch's formulation: {@code r = sigma(x_r + h_r)}, {@code z = sigma(x_z + h_z)},
 * {@code n = tanh(x_n + r * h_n)}, {@code h' = (1 - z) n + z h}, where {@code x_* = W_i* x + b_i*} come from one
 * GEMM over all timesteps and {@code h_* = W_h* h + b_h*} from one recurrent GEMM per step. The reset gate
 * multiplies {@code h_n} after its bias, so the two sides stay separate: the backward keeps one gradient for the
 * input side and one for the hidden side. The gate loop runs on the Vector API; {@link GruCellReference} is its
 * scalar twin.
 */
final class GruSequence implements SequenceKernel {

    @Override
    public SequenceTrace forward(CellWeights w, float[] x, int steps, int batch, float[] h0, float[] c0,
                                 boolean reverse) {
        int hidden = w.hidden;
        int g3 = 3 * hidden;
        int sh = batch * hidden;
        float[] gates = SequenceGemm.inputProjection(w, x, steps * batch, false); // [T, B, 3H]
        float[] y = new float[steps * sh]; // [T, B, H]
        float[] hn = new float[steps * sh]; // [T, B, H]
        float[] hw = new float[batch * g3]; // [B, 3H]
        SequenceTrace tr = new SequenceTrace(x, steps, batch, hidden, reverse, h0, null, y,
                new float[sh], null, gates, hn, null);
        // W_hh^T packed once for all steps: packing it at every step cost more than the step's product.
        GemmPackedB whhT = Gemm.packB(true, hidden, g3, w.whh, 0, hidden);
        for (int s = 0; s < steps; s++) {
            int t = tr.position(s);
            int p = tr.previous(t);
            float[] hPrev = p < 0 ? h0 : y;
            int prevOff = p < 0 ? 0 : p * sh;
            Gemm.sgemm(false, batch, hPrev, prevOff, hidden, whhT, hw, 0, g3, false);
            if (w.bhh != null) {
                SequenceGemm.addToRows(hw, 0, batch, g3, w.bhh);
            }
            cellForward(gates, t * batch * g3, hw, hPrev, prevOff, hn, y, t * sh, batch, hidden);
        }
        System.arraycopy(y, tr.position(steps - 1) * sh, tr.hN, 0, sh);
        return tr;
    }

    @Override
    public void backward(CellWeights w, SequenceTrace tr, float[] dy, float[] dhN, float[] dcN,
                         float[] dx, float[] dh0, float[] dc0) {
        int hidden = w.hidden;
        int g3 = 3 * hidden;
        int batch = tr.batch;
        int sh = batch * hidden;
        float[] dGx = new float[tr.steps * batch * g3]; // [T, B, 3H]
        float[] dGh = new float[tr.steps * batch * g3]; // [T, B, 3H]
        float[] dh = dhN.clone(); // [B, H]
        for (int s = tr.steps - 1; s >= 0; s--) {
            int t = tr.position(s);
            int p = tr.previous(t);
            float[] hPrev = p < 0 ? tr.h0 : tr.y;
            int prevOff = p < 0 ? 0 : p * sh;
            int gOff = t * batch * g3;
            for (int b = 0; b < batch; b++) {
                int gb = gOff + b * g3;
                int hb = t * sh + b * hidden;
                for (int j = 0; j < hidden; j++) {
                    float r = tr.gates[gb + j];
                    float z = tr.gates[gb + hidden + j];
                    float n = tr.gates[gb + 2 * hidden + j];
                    float dht = dy[hb + j] + dh[b * hidden + j];
                    float dnPre = dht * (1f - z) * (1f - n * n);
                    float dzPre = dht * (hPrev[prevOff + b * hidden + j] - n) * z * (1f - z);
                    float drPre = dnPre * tr.aux[hb + j] * r * (1f - r);
                    dGx[gb + j] = drPre;
                    dGx[gb + hidden + j] = dzPre;
                    dGx[gb + 2 * hidden + j] = dnPre;
                    dGh[gb + j] = drPre;
                    dGh[gb + hidden + j] = dzPre;
                    dGh[gb + 2 * hidden + j] = dnPre * r;
                    dh[b * hidden + j] = dht * z;
                }
            }
            Gemm.sgemm(false, false, batch, hidden, g3, dGh, gOff, g3, w.whh, 0, hidden, dh, 0, hidden, true);
        }
        System.arraycopy(dh, 0, dh0, 0, sh);
        SequenceGemm.backwardWeights(w, tr, dGx, dGh, dx);
    }

    /**
     * One step's gates for every batch row: the input-side pre-activations {@code gates [B, 3H]} at
     * {@code gOff} become r, z, n in place, given the hidden side {@code hw [B, 3H]} (biases included); writes
     * {@code W_hn h + b_hn} and the new {@code h}. The nonlinearities run on the elementwise kernels, whose
     * SIMD and scalar paths agree to the bit, so the result never depends on the JIT's progress.
     */
    private static void cellForward(float[] gates, int gOff, float[] hw, float[] hPrev, int pOff, float[] hn,
                                    float[] y, int hOff, int batch, int hidden) {
        ElementwiseKernel k = Elementwise.kernel();
        for (int b = 0; b < batch; b++) {
            int gb = gOff + b * 3 * hidden; // [3H] row of this batch element: r, z, n
            int wb = b * 3 * hidden;
            int hb = hOff + b * hidden;
            int pb = pOff + b * hidden;
            k.binary(BinaryOp.ADD, gates, gb, hw, wb, gates, gb, 2 * hidden);
            k.sigmoid(gates, gb, gates, gb, 2 * hidden);
            System.arraycopy(hw, wb + 2 * hidden, hn, hb, hidden);
            // n = tanh(x_n + r * (W_hn h + b_hn))
            k.mulAdd(gates, gb, hn, hb, gates, gb + 2 * hidden, hidden);
            k.tanh(gates, gb + 2 * hidden, gates, gb + 2 * hidden, hidden);
            // h = n + z * (hPrev - n)
            k.binary(BinaryOp.SUB, hPrev, pb, gates, gb + 2 * hidden, y, hb, hidden);
            k.binary(BinaryOp.MUL, gates, gb + hidden, y, hb, y, hb, hidden);
            k.binary(BinaryOp.ADD, y, hb, gates, gb + 2 * hidden, y, hb, hidden);
        }
    }
}
