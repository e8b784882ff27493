package dev.recur.layers.rnn;

import static dev.recur.layers.rnn.ReferenceMath.sigmoid;
import static dev.recur.layers.rnn.ReferenceMath.tanh;

import java.util.Arrays;

/**
 * The scalar reference LSTM with a projection (PyTorch's {@code proj_size}; Sak et al., 2014): per step and batch
 * row, the gates from {@code W_ih x + b_ih + W_hh h + b_hh} with {@code h} of {@code P} features,
 * {@code c' = f c + i g}, {@code m = o tanh(c')} and {@code h' = W_hr m}, all as plain dot products; the backward
 * walks the same loops in reverse ({@code dm = W_hr^T dh'}, {@code dW_hr += dh' m^T}). A row past its length
 * copies its states forward and passes their gradients back unchanged. {@link ProjectedLstmSequence} is tested
 * against it.
 */
final class ProjectedLstmReference implements SequenceKernel {
    @Override
    public SequenceTrace forward(CellWeights w, float[] x, int steps, int batch, float[] h0, float[] c0,
                                 boolean reverse, boolean record, int[] lengths) {
        int hidden = w.hidden;
        int proj = w.proj;
        int in = w.inputSize;
        float[] y = new float[steps * batch * proj];
        float[] cells = new float[steps * batch * hidden];
        float[] gates = new float[steps * batch * 4 * hidden];
        float[] m = new float[steps * batch * hidden];
        SequenceTrace tr = new SequenceTrace(x, steps, batch, hidden, reverse, lengths, true, h0, c0, y,
                new float[batch * proj], new float[batch * hidden], gates, cells, null, m);
        float[] fromX = new float[4 * hidden];
        float[] fromH = new float[4 * hidden];
        float[] h = new float[proj];
        for (int s = 0; s < steps; s++) {
            int t = tr.position(s);
            int p = tr.previous(t);
            for (int b = 0; b < batch; b++) {
                float[] hPrev = p < 0 ? h0 : y;
                float[] cPrev = p < 0 ? c0 : cells;
                int prev = p < 0 ? b : p * batch + b;
                int row = t * batch + b;
                if (!tr.active(t, b)) {
                    System.arraycopy(hPrev, prev * proj, y, row * proj, proj);
                    System.arraycopy(cPrev, prev * hidden, cells, row * hidden, hidden);
                    continue;
                }
                ReferenceMath.project(w.wih, in, x, row * in, w.bih, fromX);
                ReferenceMath.project(w.whh, proj, hPrev, prev * proj, w.bhh, fromH);
                int gb = row * 4 * hidden;
                for (int j = 0; j < hidden; j++) {
                    float i = sigmoid(fromX[j] + fromH[j]);
                    float f = sigmoid(fromX[hidden + j] + fromH[hidden + j]);
                    float g = tanh(fromX[2 * hidden + j] + fromH[2 * hidden + j]);
                    float o = sigmoid(fromX[3 * hidden + j] + fromH[3 * hidden + j]);
                    float c = f * cPrev[prev * hidden + j] + i * g;
                    gates[gb + j] = i;
                    gates[gb + hidden + j] = f;
                    gates[gb + 2 * hidden + j] = g;
                    gates[gb + 3 * hidden + j] = o;
                    cells[row * hidden + j] = c;
                    m[row * hidden + j] = o * tanh(c);
                }
                ReferenceMath.project(w.whr, hidden, m, row * hidden, null, h);
                System.arraycopy(h, 0, y, row * proj, proj);
            }
        }
        int last = tr.position(steps - 1) * batch;
        System.arraycopy(y, last * proj, tr.hN, 0, batch * proj);
        System.arraycopy(cells, last * hidden, tr.cN, 0, batch * hidden);
        return tr;
    }

    @Override
    public void backward(CellWeights w, SequenceTrace tr, float[] dy, float[] dhN, float[] dcN,
                         float[] dx, float[] dh0, float[] dc0) {
        int hidden = w.hidden;
        int proj = w.proj;
        int in = w.inputSize;
        int batch = tr.batch;
        float[] dh = dhN.clone(); // [B, P]
        float[] dc = dcN.clone(); // [B, H]
        float[] dhOut = new float[proj];
        float[] dm = new float[hidden];
        float[] dPre = new float[4 * hidden];
        for (int s = tr.steps - 1; s >= 0; s--) {
            int t = tr.position(s);
            int p = tr.previous(t);
            float[] dhPrev = new float[batch * proj];
            for (int b = 0; b < batch; b++) {
                float[] hPrev = p < 0 ? tr.h0 : tr.y;
                float[] cPrev = p < 0 ? tr.c0 : tr.aux;
                int prev = p < 0 ? b : p * batch + b;
                int row = t * batch + b;
                if (!tr.active(t, b)) {
                    System.arraycopy(dh, b * proj, dhPrev, b * proj, proj);
                    continue;
                }
                for (int k = 0; k < proj; k++) {
                    dhOut[k] = dy[row * proj + k] + dh[b * proj + k];
                }
                Arrays.fill(dm, 0f);
                ReferenceMath.projectBackward(w.whr, hidden, tr.projected, row * hidden, dhOut, w.gradWhr, null,
                        dm, 0);
                int gb = row * 4 * hidden;
                for (int j = 0; j < hidden; j++) {
                    float i = tr.gates[gb + j];
                    float f = tr.gates[gb + hidden + j];
                    float g = tr.gates[gb + 2 * hidden + j];
                    float o = tr.gates[gb + 3 * hidden + j];
                    float tc = tanh(tr.aux[row * hidden + j]);
                    float dcj = dc[b * hidden + j] + dm[j] * o * (1f - tc * tc);
                    dPre[j] = dcj * g * i * (1f - i);
                    dPre[hidden + j] = dcj * cPrev[prev * hidden + j] * f * (1f - f);
                    dPre[2 * hidden + j] = dcj * i * (1f - g * g);
                    dPre[3 * hidden + j] = dm[j] * tc * o * (1f - o);
                    dc[b * hidden + j] = dcj * f;
                }
                ReferenceMath.projectBackward(w.wih, in, tr.x, row * in, dPre, w.gradWih, w.gradBih, dx, row * in);
                ReferenceMath.projectBackward(w.whh, proj, hPrev, prev * proj, dPre, w.gradWhh, w.gradBhh,
                        dhPrev, b * proj);
            }
            dh = dhPrev;
        }
        System.arraycopy(dh, 0, dh0, 0, batch * proj);
        System.arraycopy(dc, 0, dc0, 0, batch * hidden);
    }
}
