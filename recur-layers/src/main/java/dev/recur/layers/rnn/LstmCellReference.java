package dev.recur.layers.rnn;

import static dev.recur.layers.rnn.ReferenceMath.sigmoid;
import static dev.recur.layers.rnn.ReferenceMath.tanh;

/**
 * The scalar reference LSTM: for each step and batch row, the gate pre-activations
 * {@code W_ih x + b_ih + W_hh h + b_hh} as plain dot products, then
 * {@code c' = f c + i g, h' = o tanh(c')}; the backward walks the same loops in reverse and adds every weight
 * gradient as an outer product per step. A row past its length copies its state forward and passes its state's
 * gradient back unchanged. The fast {@link LstmSequence} is tested against it.
 */
final class LstmCellReference implements SequenceKernel {
    @Override
    public SequenceTrace forward(CellWeights w, float[] x, int steps, int batch, float[] h0, float[] c0,
                                 boolean reverse, boolean record, int[] lengths) {
        int hidden = w.hidden;
        int in = w.inputSize;
        float[] y = new float[steps * batch * hidden];
        float[] cells = new float[steps * batch * hidden];
        float[] gates = new float[steps * batch * 4 * hidden];
        SequenceTrace tr = new SequenceTrace(x, steps, batch, hidden, reverse, lengths, true, h0, c0, y,
                new float[batch * hidden], new float[batch * hidden], gates, cells, null, null);
        float[] fromX = new float[4 * hidden];
        float[] fromH = new float[4 * hidden];
        for (int s = 0; s < steps; s++) {
            int t = tr.position(s);
            int p = tr.previous(t);
            for (int b = 0; b < batch; b++) {
                float[] hPrev = p < 0 ? h0 : y;
                float[] cPrev = p < 0 ? c0 : cells;
                int prev = (p < 0 ? b : p * batch + b) * hidden;
                int row = t * batch + b;
                if (!tr.active(t, b)) {
                    System.arraycopy(hPrev, prev, y, row * hidden, hidden);
                    System.arraycopy(cPrev, prev, cells, row * hidden, hidden);
                    continue;
                }
                ReferenceMath.project(w.wih, in, x, row * in, w.bih, fromX);
                ReferenceMath.project(w.whh, hidden, hPrev, prev, w.bhh, fromH);
                for (int j = 0; j < hidden; j++) {
                    float i = sigmoid(fromX[j] + fromH[j]);
                    float f = sigmoid(fromX[hidden + j] + fromH[hidden + j]);
                    float g = tanh(fromX[2 * hidden + j] + fromH[2 * hidden + j]);
                    float o = sigmoid(fromX[3 * hidden + j] + fromH[3 * hidden + j]);
                    float c = f * cPrev[prev + j] + i * g;
                    int gb = row * 4 * hidden;
                    gates[gb + j] = i;
                    gates[gb + hidden + j] = f;
                    gates[gb + 2 * hidden + j] = g;
                    gates[gb + 3 * hidden + j] = o;
                    cells[row * hidden + j] = c;
                    y[row * hidden + j] = o * tanh(c);
                }
            }
        }
        int last = tr.position(steps - 1) * batch * hidden;
        System.arraycopy(y, last, tr.hN, 0, batch * hidden);
        System.arraycopy(cells, last, tr.cN, 0, batch * hidden);
        return tr;
    }

    @Override
    public void backward(CellWeights w, SequenceTrace tr, float[] dy, float[] dhN, float[] dcN,
                         float[] dx, float[] dh0, float[] dc0) {
        int hidden = w.hidden;
        int in = w.inputSize;
        int batch = tr.batch;
        float[] dh = dhN.clone();
        float[] dc = dcN.clone();
        float[] dPre = new float[4 * hidden];
        for (int s = tr.steps - 1; s >= 0; s--) {
            int t = tr.position(s);
            int p = tr.previous(t);
            float[] dhPrev = new float[batch * hidden];
            for (int b = 0; b < batch; b++) {
                float[] hPrev = p < 0 ? tr.h0 : tr.y;
                float[] cPrev = p < 0 ? tr.c0 : tr.aux;
                int prev = (p < 0 ? b : p * batch + b) * hidden;
                int row = t * batch + b;
                if (!tr.active(t, b)) {
                    System.arraycopy(dh, b * hidden, dhPrev, b * hidden, hidden);
                    continue;
                }
                int gb = row * 4 * hidden;
                for (int j = 0; j < hidden; j++) {
                    float i = tr.gates[gb + j];
                    float f = tr.gates[gb + hidden + j];
                    float g = tr.gates[gb + 2 * hidden + j];
                    float o = tr.gates[gb + 3 * hidden + j];
                    float tc = tanh(tr.aux[row * hidden + j]);
                    float dhj = dy[row * hidden + j] + dh[b * hidden + j];
                    float dcj = dc[b * hidden + j] + dhj * o * (1f - tc * tc);
                    dPre[j] = dcj * g * i * (1f - i);
                    dPre[hidden + j] = dcj * cPrev[prev + j] * f * (1f - f);
                    dPre[2 * hidden + j] = dcj * i * (1f - g * g);
                    dPre[3 * hidden + j] = dhj * tc * o * (1f - o);
                    dc[b * hidden + j] = dcj * f;
                }
                ReferenceMath.projectBackward(w.wih, in, tr.x, row * in, dPre, w.gradWih, w.gradBih, dx, row * in);
                ReferenceMath.projectBackward(w.whh, hidden, hPrev, prev, dPre, w.gradWhh, w.gradBhh,
                        dhPrev, b * hidden);
            }
            dh = dhPrev;
        }
        System.arraycopy(dh, 0, dh0, 0, batch * hidden);
        System.arraycopy(dc, 0, dc0, 0, batch * hidden);
    }
}
