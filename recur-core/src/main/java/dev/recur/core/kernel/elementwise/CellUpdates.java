package dev.recur.core.kernel.elementwise;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Recurrent cell updates over a block of batch rows in a few row-strided passes, writing every value the backward
 * reuses straight into its place in the trace. The recurrent kernels call one per part and step; a call per row and
 * operation, with copies into the trace, had taken 3.3-3.5 ms of a 21-25 ms two-thread LSTM inference call (batch
 * 16, 256 steps, 256 units), the fused passes take 2.85-3.3. Lanes and the scalar tails evaluate {@link FloatMath}'s
 * formulas with the same operations, so the bits do not depend on where a row's vector loop ends (which moves with
 * the number of threads). One loop applying all five functions per element compiled badly: C2 stopped inlining the
 * vector helpers and the layer ran 1.5-2x slower, hence the passes.
 */
public final class CellUpdates {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private CellUpdates() {}

    /**
     * The LSTM cell (Hochreiter and Schmidhuber, 1997, with the forget gate of Gers et al., 2000, in PyTorch's gate
     * order) for {@code rows} batch rows and {@code width} units of a layer of {@code hidden} units: from the
     * pre-activations, {@code i, f, o = sigmoid}, {@code g = tanh}, {@code c = f * cPrev + i * g} and
     * {@code h = o * tanh(c)}.
     *
     * @param pre      {@code [rows, 4 * width]}: each row's i, f, g, o pre-activations, {@code width} each
     * @param cPrev    the previous cell state, row {@code r} at {@code cPrevOff + r * hidden}
     * @param gates    receives the gate values, laid out {@code [rows, 4, hidden]} from {@code gatesOff}
     * @param c        receives the cell state, row {@code r} at {@code cOff + r * hidden}
     * @param cTanh    receives {@code tanh(c)}, row {@code r} at {@code tanhOff + r * hidden}
     * @param h        receives the hidden state, row {@code r} at {@code hOff + r * hidden}
     */
    public static void lstmForward(float[] pre, int rows, int width, int hidden, float[] cPrev, int cPrevOff,
                                   float[] gates, int gatesOff, float[] c, int cOff, float[] cTanh, int tanhOff,
                                   float[] h, int hOff) {
        int preStride = 4 * width;
        int gatesStride = 4 * hidden;
        int iOff = gatesOff;
        int fOff = gatesOff + hidden;
        int gOff = gatesOff + 2 * hidden;
        int oOff = gatesOff + 3 * hidden;
        TranscendentalVector.sigmoidRows(pre, 0, preStride, gates, iOff, gatesStride, rows, width);
        TranscendentalVector.sigmoidRows(pre, width, preStride, gates, fOff, gatesStride, rows, width);
        TranscendentalVector.tanhRows(pre, 2 * width, preStride, gates, gOff, gatesStride, rows, width);
        TranscendentalVector.sigmoidRows(pre, 3 * width, preStride, gates, oOff, gatesStride, rows, width);
        int bound = S.loopBound(width);
        for (int r = 0; r < rows; r++) {
            int gr = r * gatesStride;
            int pr = cPrevOff + r * hidden;
            int cr = cOff + r * hidden;
            int j = 0;
            for (; j < bound; j += S.length()) {
                FloatVector f = FloatVector.fromArray(S, gates, fOff + gr + j);
                FloatVector ig = FloatVector.fromArray(S, gates, iOff + gr + j)
                        .mul(FloatVector.fromArray(S, gates, gOff + gr + j));
                f.fma(FloatVector.fromArray(S, cPrev, pr + j), ig).intoArray(c, cr + j);
            }
            for (; j < width; j++) {
                c[cr + j] = Math.fma(gates[fOff + gr + j], cPrev[pr + j], gates[iOff + gr + j] * gates[gOff + gr + j]);
            }
        }
        TranscendentalVector.tanhRows(c, cOff, hidden, cTanh, tanhOff, hidden, rows, width);
        for (int r = 0; r < rows; r++) {
            int gr = oOff + r * gatesStride;
            int tr = tanhOff + r * hidden;
            int hr = hOff + r * hidden;
            int j = 0;
            for (; j < bound; j += S.length()) {
                FloatVector.fromArray(S, gates, gr + j).mul(FloatVector.fromArray(S, cTanh, tr + j))
                        .intoArray(h, hr + j);
            }
            for (; j < width; j++) {
                h[hr + j] = gates[gr + j] * cTanh[tr + j];
            }
        }
    }

    /**
     * The GRU cell (Cho et al., 2014) in PyTorch's formulation for {@code rows} batch rows and {@code width} units
     * of a layer of {@code hidden} units: {@code r = sigmoid(x_r + h_r)}, {@code z = sigmoid(x_z + h_z)},
     * {@code n = tanh(x_n + r * h_n)}, {@code h = (hPrev - n) * z + n}, where {@code x_*} and {@code h_*} are the
     * input and hidden sides with their biases.
     *
     * @param xs    {@code [rows, 3 * width]}: each row's input side r, z, n; overwritten
     * @param hs    {@code [rows, 3 * width]}: each row's hidden side r, z, n
     * @param hPrev the previous hidden state, row {@code r} at {@code hPrevOff + r * hidden}
     * @param gates receives r, z, n, laid out {@code [rows, 3, hidden]} from {@code gatesOff}
     * @param hn    receives {@code h_n}, row {@code r} at {@code hnOff + r * hidden}
     * @param h     receives the hidden state, row {@code r} at {@code hOff + r * hidden}
     */
    public static void gruForward(float[] xs, float[] hs, int rows, int width, int hidden, float[] hPrev,
                                  int hPrevOff, float[] gates, int gatesOff, float[] hn, int hnOff,
                                  float[] h, int hOff) {
        int stride = 3 * width;
        int gatesStride = 3 * hidden;
        int bound = S.loopBound(width);
        for (int r = 0; r < rows; r++) {
            int xr = r * stride;
            int rz = 2 * width;
            int j = 0;
            for (; j < S.loopBound(rz); j += S.length()) {
                FloatVector.fromArray(S, xs, xr + j).add(FloatVector.fromArray(S, hs, xr + j)).intoArray(xs, xr + j);
            }
            for (; j < rz; j++) {
                xs[xr + j] += hs[xr + j];
            }
        }
        TranscendentalVector.sigmoidRows(xs, 0, stride, gates, gatesOff, gatesStride, rows, width);
        TranscendentalVector.sigmoidRows(xs, width, stride, gates, gatesOff + hidden, gatesStride, rows, width);
        for (int r = 0; r < rows; r++) {
            int nr = r * stride + 2 * width; // x_n and h_n of this row
            int gr = gatesOff + r * gatesStride; // r of this row
            int ar = hnOff + r * hidden;
            int j = 0;
            for (; j < bound; j += S.length()) {
                FloatVector hnv = FloatVector.fromArray(S, hs, nr + j);
                hnv.intoArray(hn, ar + j);
                FloatVector.fromArray(S, gates, gr + j).fma(hnv, FloatVector.fromArray(S, xs, nr + j))
                        .intoArray(xs, nr + j);
            }
            for (; j < width; j++) {
                hn[ar + j] = hs[nr + j];
                xs[nr + j] = Math.fma(gates[gr + j], hs[nr + j], xs[nr + j]);
            }
        }
        int nOff = gatesOff + 2 * hidden;
        TranscendentalVector.tanhRows(xs, 2 * width, stride, gates, nOff, gatesStride, rows, width);
        for (int r = 0; r < rows; r++) {
            int zr = gatesOff + hidden + r * gatesStride;
            int nr = nOff + r * gatesStride;
            int pr = hPrevOff + r * hidden;
            int hr = hOff + r * hidden;
            int j = 0;
            for (; j < bound; j += S.length()) {
                FloatVector n = FloatVector.fromArray(S, gates, nr + j);
                FloatVector.fromArray(S, hPrev, pr + j).sub(n).mul(FloatVector.fromArray(S, gates, zr + j)).add(n)
                        .intoArray(h, hr + j);
            }
            for (; j < width; j++) {
                float n = gates[nr + j];
                h[hr + j] = (hPrev[pr + j] - n) * gates[zr + j] + n;
            }
        }
    }
}
