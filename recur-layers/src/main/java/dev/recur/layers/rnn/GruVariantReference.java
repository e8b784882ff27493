package dev.recur.layers.rnn;

/**
 * The scalar reference of the GRU's {@link CellVariant}s, the equations of ONNX's GRU operator in PyTorch's gate
 * order (r, z, n), with {@code a = W_ih x + b_ih} and {@code u = W_hh h + b_hh} as plain dot products per step and
 * batch row, {@code clamp} the clip (the identity without one):
 * <pre>
 *   r = f(clamp(a_r + u_r)),  z = f(clamp(a_z + u_z)),
 *   n = g(clamp(a_n + r * u_n))                        (linear_before_reset=1, PyTorch's)
 *   n = g(clamp(a_n + W_hn (r * h) + b_hn))            (linear_before_reset=0, ONNX's default)
 *   h' = (1 - z) n + z h
 * </pre>
 * The backward walks the same loops in reverse. A row past its length copies its state forward and passes its
 * state's gradient back unchanged. {@link GruVariantSequence} is tested against it.
 */
final class GruVariantReference implements SequenceKernel {
    @Override
    public SequenceTrace forward(CellWeights w, float[] x, int steps, int batch, float[] h0, float[] c0,
                                 boolean reverse, boolean record, int[] lengths) {
        GateSpec spec = w.spec;
        int hidden = w.hidden;
        int in = w.inputSize;
        float[] y = new float[steps * batch * hidden];
        float[] gates = new float[steps * batch * 3 * hidden];
        float[] aux = new float[steps * batch * hidden]; // u_n, or r * h before the product
        float[] raw = spec.clips() ? new float[steps * batch * 3 * hidden] : null;
        SequenceTrace tr = new SequenceTrace(x, steps, batch, hidden, reverse, lengths, true, h0, null, y,
                new float[batch * hidden], null, gates, aux, null, null, raw);
        float[] a = new float[3 * hidden];
        float[] u = new float[3 * hidden];
        float[] rh = new float[hidden];
        float[] un = new float[hidden];
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
                int gb = row * 3 * hidden;
                ReferenceMath.project(w.wih, in, x, row * in, w.bih, a);
                ReferenceMath.project(w.whh, hidden, hPrev, prev, w.bhh, u);
                for (int j = 0; j < 2 * hidden; j++) {
                    float v = a[j] + u[j];
                    if (raw != null) {
                        raw[gb + j] = v;
                    }
                    gates[gb + j] = spec.f().apply(spec.clamp(v));
                }
                if (!spec.linearBeforeReset()) {
                    for (int j = 0; j < hidden; j++) {
                        rh[j] = gates[gb + j] * hPrev[prev + j];
                    }
                    // W_hn (r * h) + b_hn: the n rows of W_hh times the reset state
                    for (int j = 0; j < hidden; j++) {
                        float acc = 0f;
                        for (int k = 0; k < hidden; k++) {
                            acc = Math.fma(w.whh[(2 * hidden + j) * hidden + k], rh[k], acc);
                        }
                        un[j] = w.bhh == null ? acc : acc + w.bhh[2 * hidden + j];
                    }
                }
                for (int j = 0; j < hidden; j++) {
                    float r = gates[gb + j];
                    float z = gates[gb + hidden + j];
                    float v = spec.linearBeforeReset() ? a[2 * hidden + j] + r * u[2 * hidden + j]
                            : a[2 * hidden + j] + un[j];
                    if (raw != null) {
                        raw[gb + 2 * hidden + j] = v;
                    }
                    float n = spec.g().apply(spec.clamp(v));
                    gates[gb + 2 * hidden + j] = n;
                    aux[row * hidden + j] = spec.linearBeforeReset() ? u[2 * hidden + j] : rh[j];
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
        GateSpec spec = w.spec;
        int hidden = w.hidden;
        int in = w.inputSize;
        int batch = tr.batch;
        boolean after = spec.linearBeforeReset();
        float[] dh = dhN.clone();
        float[] da = new float[3 * hidden];
        float[] du = new float[3 * hidden];
        float[] dRh = new float[hidden];
        float[] dRz = new float[2 * hidden];
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
                    float z = tr.gates[gb + hidden + j];
                    float n = tr.gates[gb + 2 * hidden + j];
                    float dhj = dy[row * hidden + j] + dh[b * hidden + j];
                    float dn = passes(spec, tr, gb + 2 * hidden + j) ? dhj * (1f - z) * spec.g().derivative(n) : 0f;
                    float dz = passes(spec, tr, gb + hidden + j)
                            ? dhj * (hPrev[prev + j] - n) * spec.f().derivative(z) : 0f;
                    da[hidden + j] = dz;
                    da[2 * hidden + j] = dn;
                    dhPrev[b * hidden + j] = dhj * z;
                }
                if (after) {
                    for (int j = 0; j < hidden; j++) {
                        float r = tr.gates[gb + j];
                        float dn = da[2 * hidden + j];
                        da[j] = passes(spec, tr, gb + j) ? dn * tr.aux[row * hidden + j] * spec.f().derivative(r) : 0f;
                        du[j] = da[j];
                        du[hidden + j] = da[hidden + j];
                        du[2 * hidden + j] = dn * r;
                    }
                    ReferenceMath.projectBackward(w.whh, hidden, hPrev, prev, du, w.gradWhh, w.gradBhh,
                            dhPrev, b * hidden);
                } else {
                    // d(r * h) = W_hn^T dn, then r's gradient through r * h and h's through both r * h and z
                    for (int k = 0; k < hidden; k++) {
                        float acc = 0f;
                        for (int j = 0; j < hidden; j++) {
                            acc = Math.fma(w.whh[(2 * hidden + j) * hidden + k], da[2 * hidden + j], acc);
                        }
                        dRh[k] = acc;
                    }
                    for (int j = 0; j < hidden; j++) {
                        float r = tr.gates[gb + j];
                        da[j] = passes(spec, tr, gb + j) ? dRh[j] * hPrev[prev + j] * spec.f().derivative(r) : 0f;
                        dhPrev[b * hidden + j] += dRh[j] * r;
                    }
                    for (int j = 0; j < hidden; j++) {
                        float dn = da[2 * hidden + j];
                        if (w.gradBhh != null) {
                            w.gradBhh[2 * hidden + j] += dn;
                        }
                        if (w.gradWhh != null) {
                            for (int k = 0; k < hidden; k++) {
                                int e = (2 * hidden + j) * hidden + k;
                                w.gradWhh[e] = Math.fma(dn, tr.aux[row * hidden + k], w.gradWhh[e]);
                            }
                        }
                    }
                    // the r and z rows of W_hh (its first 2H rows) against h
                    System.arraycopy(da, 0, dRz, 0, 2 * hidden);
                    ReferenceMath.projectBackward(w.whh, hidden, hPrev, prev, dRz, w.gradWhh, w.gradBhh, dhPrev,
                            b * hidden);
                }
                ReferenceMath.projectBackward(w.wih, in, tr.x, row * in, da, w.gradWih, w.gradBih, dx, row * in);
            }
            dh = dhPrev;
        }
        System.arraycopy(dh, 0, dh0, 0, batch * hidden);
    }

    /** Whether the gradient passes the clip at gate value {@code k} of the trace (always without a clip). */
    private static boolean passes(GateSpec spec, SequenceTrace tr, int k) {
        return tr.pre == null || spec.passes(tr.pre[k]);
    }
}
