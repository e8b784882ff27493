package dev.recur.layers.rnn;

/**
 * The scalar reference Elman RNN: per step and batch row,
 * {@code h' = act(W_ih x + b_ih + W_hh h + b_hh)} as plain dot products, {@code act} tanh or ReLU (a
 * {@link CellVariant}'s: sigmoid, tanh or ReLU, of the pre-activation clamped to {@code [-clip, clip]}); the
 * backward walks the same loops in reverse. A row past its length copies its state forward and passes its state's
 * gradient back unchanged.
 */
final class ElmanCellReference implements SequenceKernel {
    @Override
    public SequenceTrace forward(CellWeights w, float[] x, int steps, int batch, float[] h0, float[] c0,
                                 boolean reverse, boolean record, int[] lengths) {
        int hidden = w.hidden;
        int in = w.inputSize;
        Activation act = activation(w);
        GateSpec spec = w.spec;
        float[] y = new float[steps * batch * hidden];
        float[] pre = spec != null && spec.clips() ? new float[steps * batch * hidden] : null;
        SequenceTrace tr = new SequenceTrace(x, steps, batch, hidden, reverse, lengths, true, h0, null, y,
                new float[batch * hidden], null, null, null, null, null, pre);
        float[] a = new float[hidden];
        float[] u = new float[hidden];
        for (int s = 0; s < steps; s++) {
            int t = tr.position(s);
            int p = tr.previous(t);
            for (int b = 0; b < batch; b++) {
                int prev = (p < 0 ? b : p * batch + b) * hidden;
                int row = t * batch + b;
                if (!tr.active(t, b)) {
                    System.arraycopy(p < 0 ? h0 : y, prev, y, row * hidden, hidden);
                    continue;
                }
                ReferenceMath.project(w.wih, in, x, row * in, w.bih, a);
                ReferenceMath.project(w.whh, hidden, p < 0 ? h0 : y, prev, w.bhh, u);
                for (int j = 0; j < hidden; j++) {
                    float v = a[j] + u[j];
                    if (pre != null) {
                        pre[row * hidden + j] = v;
                        v = spec.clamp(v);
                    }
                    y[row * hidden + j] = act.apply(v);
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
        Activation act = activation(w);
        float[] dh = dhN.clone();
        float[] dPre = new float[hidden];
        for (int s = tr.steps - 1; s >= 0; s--) {
            int t = tr.position(s);
            int p = tr.previous(t);
            float[] dhPrev = new float[batch * hidden];
            for (int b = 0; b < batch; b++) {
                int prev = (p < 0 ? b : p * batch + b) * hidden;
                int row = t * batch + b;
                if (!tr.active(t, b)) {
                    System.arraycopy(dh, b * hidden, dhPrev, b * hidden, hidden);
                    continue;
                }
                for (int j = 0; j < hidden; j++) {
                    float dhj = dy[row * hidden + j] + dh[b * hidden + j];
                    boolean passes = tr.pre == null || w.spec.passes(tr.pre[row * hidden + j]);
                    dPre[j] = passes ? dhj * act.derivative(tr.y[row * hidden + j]) : 0f;
                }
                ReferenceMath.projectBackward(w.wih, in, tr.x, row * in, dPre, w.gradWih, w.gradBih, dx, row * in);
                ReferenceMath.projectBackward(w.whh, hidden, p < 0 ? tr.h0 : tr.y, prev, dPre, w.gradWhh,
                        w.gradBhh, dhPrev, b * hidden);
            }
            dh = dhPrev;
        }
        System.arraycopy(dh, 0, dh0, 0, batch * hidden);
    }

    /** The function an Elman direction applies: its variant's, else tanh or ReLU by its cell type. */
    static Activation activation(CellWeights w) {
        if (w.spec != null) {
            return w.spec.f();
        }
        return w.cell == CellType.RNN_RELU ? Activation.RELU : Activation.TANH;
    }
}
