package dev.recur.layers.rnn;

import static dev.recur.layers.rnn.ReferenceMath.sigmoid;
import static dev.recur.layers.rnn.ReferenceMath.tanh;

/**
 * The scalar reference GRU: per step and batch row, {@code a = W_ih x + b_ih} and {@code u = W_hh h + b_hh} as
 * plain dot products, then {@code r = sigma(a_r + u_r)}, {@code z = sigma(a_z + u_z)},
 * {@code n = tanh(a_n + r u_n)}, {@code h' = (1 - z) n + z h}; the backward walks the same loops in reverse. A
 * row past its length copies its state forward and passes its state's gradient back unchanged.
 */
final class GruCellReference implements SequenceKernel {
    @Override
    public SequenceTrace forward(CellWeights w, float[] x, int steps, int batch, float[] h0, float[] c0,
                                 boolean reverse, boolean record, int[] lengths) {
        int hidden = w.hidden;
        int in = w.inputSize;
        float[] y = new float[steps * batch * hidden];
        float[] gates = new float[steps * batch * 3 * hidden];
        float[] hn = new float[steps * batch * hidden];
        SequenceTrace tr = new SequenceTrace(x, steps, batch, hidden, reverse, lengths, true, h0, null, y,
                new float[batch * hidden], null, gates, hn, null, null);
        float[] a = new float[3 * hidden];
        float[] u = new float[3 * hidden];
        for (int s = 0; s < steps; s++) {
            int t = tr.position(s);
            int p = tr.previous(t);
            for (int b = 0; b < batch; b++) {
                float[] hPrev = p < 0 ? h0 : y;
                int prev = (p < 0 ? b : p * batch + b) * hidden;
                int row = t * batch + b;
                if (!tr.active(t, b)) {
                    System.arraycopy(hPrev, prev, y, row * hidden, hidden);
                    continue;
                }
                ReferenceMath.project(w.wih, in, x, row * in, w.bih, a);
                ReferenceMath.project(w.whh, hidden, hPrev, prev, w.bhh, u);
                for (int j = 0; j < hidden; j++) {
                    float r = sigmoid(a[j] + u[j]);
                    float z = sigmoid(a[hidden + j] + u[hidden + j]);
                    float n = tanh(a[2 * hidden + j] + r * u[2 * hidden + j]);
                    int gb = row * 3 * hidden;
                    gates[gb + j] = r;
                    gates[gb + hidden + j] = z;
                    gates[gb + 2 * hidden + j] = n;
                    hn[row * hidden + j] = u[2 * hidden + j];
                    y[row * hidden + j] = (1f - z) * n + z * hPrev[prev + j];
                }
            }
        }
        System.arraycopy(y, tr.position(steps - 1) * batch * hidden, tr.hN, 0, batch * hidden);
        return tr;
    }

    @Override
    public void backward(CellWeights w, SequenceTrace tr, float[] dy, float[] dhN, float[] dcN,
                         float[] dx, float[] dh0, float[] dc0) {
        int hidden = w.hidden;
        int in = w.inputSize;
        int batch = tr.batch;
        float[] dh = dhN.clone();
        float[] da = new float[3 * hidden];
        float[] du = new float[3 * hidden];
        for (int s = tr.steps - 1; s >= 0; s--) {
            int t = tr.position(s);
            int p = tr.previous(t);
            float[] dhPrev = new float[batch * hidden];
            for (int b = 0; b < batch; b++) {
                float[] hPrev = p < 0 ? tr.h0 : tr.y;
                int prev = (p < 0 ? b : p * batch + b) * hidden;
                int row = t * batch + b;
                if (!tr.active(t, b)) {
                    System.arraycopy(dh, b * hidden, dhPrev, b * hidden, hidden);
                    continue;
                }
                int gb = row * 3 * hidden;
                for (int j = 0; j < hidden; j++) {
                    float r = tr.gates[gb + j];
                    float z = tr.gates[gb + hidden + j];
                    float n = tr.gates[gb + 2 * hidden + j];
                    float dhj = dy[row * hidden + j] + dh[b * hidden + j];
                    float dn = dhj * (1f - z) * (1f - n * n);
                    float dz = dhj * (hPrev[prev + j] - n) * z * (1f - z);
                    float dr = dn * tr.aux[row * hidden + j] * r * (1f - r);
                    da[j] = dr;
                    da[hidden + j] = dz;
                    da[2 * hidden + j] = dn;
                    du[j] = dr;
                    du[hidden + j] = dz;
                    du[2 * hidden + j] = dn * r;
                    dhPrev[b * hidden + j] = dhj * z;
                }
                ReferenceMath.projectBackward(w.wih, in, tr.x, row * in, da, w.gradWih, w.gradBih, dx, row * in);
                ReferenceMath.projectBackward(w.whh, hidden, hPrev, prev, du, w.gradWhh, w.gradBhh,
                        dhPrev, b * hidden);
            }
            dh = dhPrev;
        }
        System.arraycopy(dh, 0, dh0, 0, batch * hidden);
    }
}
