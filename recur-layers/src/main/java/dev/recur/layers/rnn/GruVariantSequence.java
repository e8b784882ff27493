package dev.recur.layers.rnn;

import dev.recur.core.kernel.gemm.Gemm;
import dev.recur.core.kernel.gemm.GemmPackedB;
import java.util.Arrays;

/**
 * The fast kernel of the GRU's {@link CellVariant}s (ONNX's GRU: either {@code linear_before_reset}, clip, any of
 * sigmoid, tanh and ReLU in each activation slot); {@link GruVariantReference} states the equations and is the
 * scalar twin. With the reset gate before the product ({@code linear_before_reset=0}) the n gate's recurrent
 * product {@code W_hn (r * h)} needs every unit's {@code r} first, so each step is whole-batch GEMMs rather than
 * {@link GruSequence}'s per-thread unit ranges: the input side of all timesteps in one GEMM first, then per step
 * {@code h W_h[r,z]^T}, the r and z gates (clip and activation as vector passes, {@link GateRows}), then
 * {@code (r * h) W_hn^T} and the n gate. With {@code linear_before_reset=1} one GEMM {@code h W_hh^T} serves all
 * three. Backward per step: the z and n gate gradients, {@code d(r * h) = dn W_hn} and r's, then
 * {@code dh = dG[r,z] W_h[r,z]} (and {@code d(r * h) * r}); the weight and bias gradients are batched over all
 * timesteps afterwards. With lengths, a row past its length gets its previous state copied over its computed one,
 * and in the backward has no gate gradients and keeps its state gradient.
 */
final class GruVariantSequence implements SequenceKernel {
    @Override
    public SequenceTrace forward(CellWeights w, float[] x, int steps, int batch, float[] h0, float[] c0,
                                 boolean reverse, boolean record, int[] lengths) {
        GateSpec spec = w.spec;
        boolean after = spec.linearBeforeReset();
        int hidden = w.hidden;
        int g3 = 3 * hidden;
        int sh = batch * hidden;
        float[] gates = new float[steps * batch * g3]; // [T, B, 3H]: r, z, n
        float[] raw = spec.clips() ? new float[steps * batch * g3] : null; // [T, B, 3H] before the clip
        float[] aux = new float[steps * sh]; // [T, B, H]: u_n, or r * h
        float[] y = new float[steps * sh]; // [T, B, H]
        SequenceTrace tr = new SequenceTrace(x, steps, batch, hidden, reverse, lengths, true, h0, null, y,
                new float[sh], null, gates, aux, null, null, raw);
        float[] a = inputSide(w, x, steps * batch); // [T, B, 3H]
        // with the reset after the product, u [B, 3H] = h W_hh^T + b_hh; before it, u [B, 2H] = h W_h[r,z]^T + b_h[r,z]
        int uCols = after ? g3 : 2 * hidden;
        GemmPackedB whT = Gemm.packB(true, hidden, uCols, w.whh, 0, hidden);
        GemmPackedB whnT = after ? null : Gemm.packB(true, hidden, hidden, w.whh, 2 * hidden * hidden, hidden);
        float[] bu = w.bhh == null ? null : Arrays.copyOf(w.bhh, uCols);
        float[] bn = w.bhh == null ? null : Arrays.copyOfRange(w.bhh, 2 * hidden, g3);
        float[] u = new float[batch * uCols];
        float[] un = after ? null : new float[sh]; // [B, H]: W_hn (r * h) + b_hn
        for (int s = 0; s < steps; s++) {
            int t = tr.position(s);
            int prevPos = tr.previous(t);
            float[] hPrev = prevPos < 0 ? h0 : y;
            int prevOff = prevPos < 0 ? 0 : prevPos * sh;
            int gOff = t * batch * g3;
            Gemm.sgemm(false, batch, hPrev, prevOff, hidden, whT, u, 0, uCols, false);
            if (bu != null) {
                SequenceGemm.addToRows(u, 0, batch, uCols, bu);
            }
            for (int b = 0; b < batch; b++) {
                int gb = gOff + b * g3;
                for (int j = 0; j < 2 * hidden; j++) {
                    a[gb + j] += u[b * uCols + j];
                }
                GateRows.clip(spec, a, gb, 2 * hidden, raw, gb);
                GateRows.activate(spec.f(), a, gb, gates, gb, 2 * hidden);
                int hb = t * sh + b * hidden;
                int pb = prevOff + b * hidden;
                for (int j = 0; j < hidden; j++) {
                    aux[hb + j] = after ? u[b * uCols + 2 * hidden + j] : gates[gb + j] * hPrev[pb + j];
                }
            }
            if (!after) {
                Gemm.sgemm(false, batch, aux, t * sh, hidden, whnT, un, 0, hidden, false);
                if (bn != null) {
                    SequenceGemm.addToRows(un, 0, batch, hidden, bn);
                }
            }
            for (int b = 0; b < batch; b++) {
                int gb = gOff + b * g3;
                int hb = t * sh + b * hidden;
                int pb = prevOff + b * hidden;
                for (int j = 0; j < hidden; j++) {
                    int k = gb + 2 * hidden + j;
                    a[k] = after ? Math.fma(gates[gb + j], aux[hb + j], a[k]) : a[k] + un[b * hidden + j];
                }
                GateRows.clip(spec, a, gb + 2 * hidden, hidden, raw, gb + 2 * hidden);
                GateRows.activate(spec.g(), a, gb + 2 * hidden, gates, gb + 2 * hidden, hidden);
                for (int j = 0; j < hidden; j++) {
                    float n = gates[gb + 2 * hidden + j];
                    y[hb + j] = (hPrev[pb + j] - n) * gates[gb + hidden + j] + n;
                }
            }
            tr.carry(t, hPrev, prevOff, y, t * sh, hidden, hidden);
        }
        System.arraycopy(y, tr.position(steps - 1) * sh, tr.hN, 0, sh);
        return tr;
    }

    /** {@code x W_ih^T + b_ih} for all {@code rows} timestep rows: [T*B, 3H]. */
    private static float[] inputSide(CellWeights w, float[] x, int rows) {
        int g3 = w.rows();
        float[] a = new float[rows * g3];
        Gemm.sgemm(false, true, rows, g3, w.inputSize, x, 0, w.inputSize, w.wih, 0, w.inputSize, a, 0, g3, false);
        if (w.bih != null) {
            SequenceGemm.addToRows(a, 0, rows, g3, w.bih);
        }
        return a;
    }

    @Override
    public void backward(CellWeights w, SequenceTrace tr, float[] dy, float[] dhN, float[] dcN,
                         float[] dx, float[] dh0, float[] dc0) {
        GateSpec spec = w.spec;
        boolean after = spec.linearBeforeReset();
        int hidden = w.hidden;
        int batch = tr.batch;
        int g3 = 3 * hidden;
        int sh = batch * hidden;
        float[] dGx = new float[tr.steps * batch * g3]; // [T, B, 3H]: the input side's pre-activation gradients
        float[] dGhn = after ? new float[tr.steps * sh] : null; // [T, B, H]: the gradient of u_n, dn * r
        float[] dRh = after ? null : new float[sh]; // [B, H]: the gradient of r * h
        float[] dh = dhN.clone(); // [B, H]
        GemmPackedB whRz = Gemm.packB(false, 2 * hidden, hidden, w.whh, 0, hidden); // W_h[r,z] [2H, H]
        GemmPackedB whn = Gemm.packB(false, hidden, hidden, w.whh, 2 * hidden * hidden, hidden); // W_hn [H, H]
        for (int s = tr.steps - 1; s >= 0; s--) {
            int t = tr.position(s);
            int gOff = t * batch * g3;
            zAndNGradients(spec, tr, t, dy, dh, dGx, dGhn);
            if (!after) {
                Gemm.sgemm(false, batch, dGx, gOff + 2 * hidden, g3, whn, dRh, 0, hidden, false);
                resetGradients(spec, tr, t, dRh, dh, dGx);
            } else {
                Gemm.sgemm(false, batch, dGhn, t * sh, hidden, whn, dh, 0, hidden, true);
            }
            // The rows past their length have zero gate gradients: adding their product keeps their dh.
            Gemm.sgemm(false, batch, dGx, gOff, g3, whRz, dh, 0, hidden, true);
        }
        System.arraycopy(dh, 0, dh0, 0, sh);
        weightGradients(w, tr, dGx, dGhn, dx);
    }

    /**
     * The z and n gate gradients of position {@code t} (and, with the reset after the product, r's and the
     * gradient of {@code u_n}); sets each active row's {@code dh} to what reaches the previous state through z.
     */
    private static void zAndNGradients(GateSpec spec, SequenceTrace tr, int t, float[] dy, float[] dh, float[] dGx,
                                       float[] dGhn) {
        int hidden = tr.hidden;
        int batch = tr.batch;
        int sh = batch * hidden;
        int prevPos = tr.previous(t);
        float[] hPrev = prevPos < 0 ? tr.h0 : tr.y;
        int prevOff = prevPos < 0 ? 0 : prevPos * sh;
        float[] gates = tr.gates;
        float[] raw = tr.pre;
        for (int b = 0; b < batch; b++) {
            if (!tr.active(t, b)) {
                continue;
            }
            int gb = (t * batch + b) * 3 * hidden;
            int hb = t * sh + b * hidden;
            int pb = prevOff + b * hidden;
            for (int j = 0; j < hidden; j++) {
                float z = gates[gb + hidden + j];
                float n = gates[gb + 2 * hidden + j];
                float dht = dy[hb + j] + dh[b * hidden + j];
                float dn = raw != null && !spec.passes(raw[gb + 2 * hidden + j]) ? 0f
                        : dht * (1f - z) * spec.g().derivative(n);
                float dz = raw != null && !spec.passes(raw[gb + hidden + j]) ? 0f
                        : dht * (hPrev[pb + j] - n) * spec.f().derivative(z);
                dGx[gb + hidden + j] = dz;
                dGx[gb + 2 * hidden + j] = dn;
                dh[b * hidden + j] = dht * z;
                if (dGhn != null) {
                    float r = gates[gb + j];
                    dGx[gb + j] = raw != null && !spec.passes(raw[gb + j]) ? 0f
                            : dn * tr.aux[hb + j] * spec.f().derivative(r);
                    dGhn[hb + j] = dn * r;
                }
            }
        }
    }

    /**
     * With the reset before the product: r's gradient at position {@code t} from {@code dRh}, the gradient of
     * {@code r * h}, and that product's share of the previous state's gradient, added to {@code dh}.
     */
    private static void resetGradients(GateSpec spec, SequenceTrace tr, int t, float[] dRh, float[] dh,
                                       float[] dGx) {
        int hidden = tr.hidden;
        int batch = tr.batch;
        int sh = batch * hidden;
        int prevPos = tr.previous(t);
        float[] hPrev = prevPos < 0 ? tr.h0 : tr.y;
        int prevOff = prevPos < 0 ? 0 : prevPos * sh;
        for (int b = 0; b < batch; b++) {
            if (!tr.active(t, b)) {
                continue;
            }
            int gb = (t * batch + b) * 3 * hidden;
            int pb = prevOff + b * hidden;
            for (int j = 0; j < hidden; j++) {
                float r = tr.gates[gb + j];
                float d = dRh[b * hidden + j];
                dGx[gb + j] = tr.pre != null && !spec.passes(tr.pre[gb + j]) ? 0f
                        : d * hPrev[pb + j] * spec.f().derivative(r);
                dh[b * hidden + j] = Math.fma(d, r, dh[b * hidden + j]);
            }
        }
    }

    /**
     * After the BPTT loop: {@code W_ih}'s gradient and {@code dx} from {@code dGx}; {@code W_hh}'s r and z rows from
     * {@code dGx} against the previous states, its n rows from {@code dGhn} against them (the reset after the
     * product) or from {@code dGx} against {@code r * h} (before it); the biases' as column sums.
     */
    private static void weightGradients(CellWeights w, SequenceTrace tr, float[] dGx, float[] dGhn, float[] dx) {
        int hidden = w.hidden;
        int in = w.inputSize;
        int g3 = 3 * hidden;
        int rows = tr.steps * tr.batch;
        int sh = tr.batch * hidden;
        if (w.gradWih != null) {
            Gemm.sgemm(true, false, g3, in, rows, dGx, 0, g3, tr.x, 0, in, w.gradWih, 0, in, true);
        }
        if (dx != null) {
            Gemm.sgemm(false, false, rows, in, g3, dGx, 0, g3, w.wih, 0, in, dx, 0, in, true);
        }
        if (w.gradWhh != null) {
            float[] hPrev = new float[tr.steps * sh]; // [T, B, H]: the state each position read
            for (int t = 0; t < tr.steps; t++) {
                int p = tr.previous(t);
                System.arraycopy(p < 0 ? tr.h0 : tr.y, p < 0 ? 0 : p * sh, hPrev, t * sh, sh);
            }
            Gemm.sgemm(true, false, 2 * hidden, hidden, rows, dGx, 0, g3, hPrev, 0, hidden, w.gradWhh, 0, hidden,
                    true);
            if (dGhn != null) {
                Gemm.sgemm(true, false, hidden, hidden, rows, dGhn, 0, hidden, hPrev, 0, hidden, w.gradWhh,
                        2 * hidden * hidden, hidden, true);
            } else {
                Gemm.sgemm(true, false, hidden, hidden, rows, dGx, 2 * hidden, g3, tr.aux, 0, hidden, w.gradWhh,
                        2 * hidden * hidden, hidden, true);
            }
        }
        columnSums(dGx, rows, g3, 0, g3, w.gradBih, 0);
        columnSums(dGx, rows, g3, 0, 2 * hidden, w.gradBhh, 0);
        if (dGhn != null) {
            columnSums(dGhn, rows, hidden, 0, hidden, w.gradBhh, 2 * hidden);
        } else {
            columnSums(dGx, rows, g3, 2 * hidden, hidden, w.gradBhh, 2 * hidden);
        }
    }

    /** Adds the sums over {@code rows} rows of columns {@code [col, col + n)} of {@code m} (rows {@code ld} apart). */
    private static void columnSums(float[] m, int rows, int ld, int col, int n, float[] acc, int accOff) {
        if (acc == null) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                acc[accOff + j] += m[r * ld + col + j];
            }
        }
    }
}
