package dev.recur.layers.rnn;

/**
 * The scalar reference of the LSTM's {@link CellVariant}s, the equations of ONNX's LSTM operator in PyTorch's gate
 * order: per step and batch row, the pre-activations {@code W_ih x + b_ih + W_hh h + b_hh} as plain dot products,
 * then with peepholes {@code p} and the clip {@code clamp} (the identity without one)
 * <pre>
 *   i = f(clamp(pre_i + p_i c)),  f = f(clamp(pre_f + p_f c))  (or 1 - i when coupled),  g = g(clamp(pre_g)),
 *   c' = f c + i g,  o = f(clamp(pre_o + p_o c')),  h' = o h(c')
 * </pre>
 * and the backward walks the same loops in reverse, adding the peepholes' gradients {@code dpre_i c},
 * {@code dpre_f c}, {@code dpre_o c'}. A row past its length copies its states forward and passes their
 * gradients back unchanged. {@link LstmVariantSequence} is tested against it.
 */
final class LstmVariantReference implements SequenceKernel {
    @Override
    public SequenceTrace forward(CellWeights w, float[] x, int steps, int batch, float[] h0, float[] c0,
                                 boolean reverse, boolean record, int[] lengths) {
        GateSpec spec = w.spec;
        int hidden = w.hidden;
        int in = w.inputSize;
        float[] y = new float[steps * batch * hidden];
        float[] cells = new float[steps * batch * hidden];
        float[] cellOut = new float[steps * batch * hidden]; // h(c)
        float[] gates = new float[steps * batch * 4 * hidden];
        float[] raw = spec.clips() ? new float[steps * batch * 4 * hidden] : null;
        SequenceTrace tr = new SequenceTrace(x, steps, batch, hidden, reverse, lengths, true, h0, c0, y,
                new float[batch * hidden], new float[batch * hidden], gates, cells, cellOut, null, raw);
        float[] pre = new float[4 * hidden];
        float[] fromH = new float[4 * hidden];
        float[] p = w.peephole;
        for (int s = 0; s < steps; s++) {
            int t = tr.position(s);
            int prevPos = tr.previous(t);
            for (int b = 0; b < batch; b++) {
                float[] hPrev = prevPos < 0 ? h0 : y;
                float[] cPrev = prevPos < 0 ? c0 : cells;
                int prev = (prevPos < 0 ? b : prevPos * batch + b) * hidden;
                int row = t * batch + b;
                if (!tr.active(t, b)) {
                    System.arraycopy(hPrev, prev, y, row * hidden, hidden);
                    System.arraycopy(cPrev, prev, cells, row * hidden, hidden);
                    continue;
                }
                ReferenceMath.project(w.wih, in, x, row * in, w.bih, pre);
                ReferenceMath.project(w.whh, hidden, hPrev, prev, w.bhh, fromH);
                int gb = row * 4 * hidden;
                for (int j = 0; j < hidden; j++) {
                    float cp = cPrev[prev + j];
                    float vi = pre[j] + fromH[j] + (p == null ? 0f : p[j] * cp);
                    float vf = pre[hidden + j] + fromH[hidden + j] + (p == null ? 0f : p[hidden + j] * cp);
                    float vg = pre[2 * hidden + j] + fromH[2 * hidden + j];
                    float i = spec.f().apply(spec.clamp(vi));
                    float f = spec.coupledInputForget() ? 1f - i : spec.f().apply(spec.clamp(vf));
                    float g = spec.g().apply(spec.clamp(vg));
                    float c = f * cp + i * g;
                    float vo = pre[3 * hidden + j] + fromH[3 * hidden + j] + (p == null ? 0f : p[2 * hidden + j] * c);
                    float o = spec.f().apply(spec.clamp(vo));
                    float hc = spec.h().apply(c);
                    if (raw != null) {
                        raw[gb + j] = vi;
                        raw[gb + hidden + j] = vf;
                        raw[gb + 2 * hidden + j] = vg;
                        raw[gb + 3 * hidden + j] = vo;
                    }
                    gates[gb + j] = i;
                    gates[gb + hidden + j] = f;
                    gates[gb + 2 * hidden + j] = g;
                    gates[gb + 3 * hidden + j] = o;
                    cells[row * hidden + j] = c;
                    cellOut[row * hidden + j] = hc;
                    y[row * hidden + j] = o * hc;
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
        GateSpec spec = w.spec;
        int hidden = w.hidden;
        int in = w.inputSize;
        int batch = tr.batch;
        float[] p = w.peephole;
        float[] gp = w.gradPeephole;
        float[] dh = dhN.clone();
        float[] dc = dcN.clone();
        float[] dPre = new float[4 * hidden];
        for (int s = tr.steps - 1; s >= 0; s--) {
            int t = tr.position(s);
            int prevPos = tr.previous(t);
            float[] dhPrev = new float[batch * hidden];
            for (int b = 0; b < batch; b++) {
                float[] hPrev = prevPos < 0 ? tr.h0 : tr.y;
                float[] cPrev = prevPos < 0 ? tr.c0 : tr.aux;
                int prev = (prevPos < 0 ? b : prevPos * batch + b) * hidden;
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
                    float c = tr.aux[row * hidden + j];
                    float cp = cPrev[prev + j];
                    float hc = tr.cellTanh[row * hidden + j];
                    float dhj = dy[row * hidden + j] + dh[b * hidden + j];
                    float dPreO = passes(spec, tr, gb + 3 * hidden + j) ? dhj * hc * spec.f().derivative(o) : 0f;
                    float dcj = dc[b * hidden + j] + dhj * o * spec.h().derivative(hc)
                            + (p == null ? 0f : dPreO * p[2 * hidden + j]);
                    float di = dcj * g;
                    float df = dcj * cp;
                    float dPreF = 0f;
                    if (spec.coupledInputForget()) {
                        di -= df;
                    } else if (passes(spec, tr, gb + hidden + j)) {
                        dPreF = df * spec.f().derivative(f);
                    }
                    float dPreI = passes(spec, tr, gb + j) ? di * spec.f().derivative(i) : 0f;
                    float dPreG = passes(spec, tr, gb + 2 * hidden + j) ? dcj * i * spec.g().derivative(g) : 0f;
                    dPre[j] = dPreI;
                    dPre[hidden + j] = dPreF;
                    dPre[2 * hidden + j] = dPreG;
                    dPre[3 * hidden + j] = dPreO;
                    dc[b * hidden + j] = dcj * f + (p == null ? 0f : dPreI * p[j] + dPreF * p[hidden + j]);
                    if (gp != null) {
                        gp[j] += dPreI * cp;
                        gp[hidden + j] += dPreF * cp;
                        gp[2 * hidden + j] += dPreO * c;
                    }
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

    /** Whether the gradient passes the clip at gate value {@code k} of the trace (always without a clip). */
    private static boolean passes(GateSpec spec, SequenceTrace tr, int k) {
        return tr.pre == null || spec.passes(tr.pre[k]);
    }
}
