package dev.recur.layers.rnn;

/**
 * What one direction's forward produced and what its backward reuses, indexed by sequence position (not by
 * processing order), time-major. A forward whose backward will not run (inference) need not record: then
 * {@code gates}, {@code aux}, {@code cellTanh} and {@code projected} hold only the steps in flight (see
 * {@link #slot}), and only {@code y}, {@code hN} and {@code cN} are results.
 *
 * <p>With {@code lengths} ({@link PackedLengths}), row {@code b} is active at positions {@code t < lengths[b]}
 * only. At the others the kernels carry the state: {@code y} (and the LSTM's cell states in {@code aux}) hold the
 * state the row had before, so that {@code y} is the state trajectory, the previous state of every step is where
 * it would be without lengths, and {@code hN} is the state after each row's last valid step. The layer output
 * is {@code y} with those positions zeroed, done by the stack; the kernels read no output gradient there and
 * write no gate gradient (the state's gradient passes through unchanged).
 */
final class SequenceTrace {
    final float[] x;
    final int steps;
    final int batch;
    final int hidden;
    final boolean reverse;
    /** [B] valid steps per row, or null when every row has all {@code steps}. */
    final int[] lengths;
    /** Whether {@code gates}, {@code aux} and {@code cellTanh} hold every position, for the backward. */
    final boolean recorded;
    final float[] h0;
    final float[] c0;
    /** [T, B, S] hidden state after each position, S = P with a projection, else H. */
    final float[] y;
    /** [B, S] */
    final float[] hN;
    /** [B, H] (LSTM), else null. */
    final float[] cN;
    /** Gate activations: LSTM [T, B, 4H] as i, f, g, o; GRU [T, B, 3H] as r, z, n; null for the Elman RNN. */
    final float[] gates;
    /**
     * LSTM: [T, B, H] cell state after each position. GRU: [T, B, H] W_hn h + b_hn, or with the reset gate before
     * the product ({@link CellVariant#linearBeforeReset} false) {@code r * h}, the vector W_hn multiplies. Else null.
     */
    final float[] aux;
    /** LSTM: [T, B, H] tanh of the cell state (a variant's {@code h(c)}), when the kernel keeps it; else null. */
    final float[] cellTanh;
    /** LSTM with a projection: [T, B, H] {@code o * tanh(c)} before the projection; else null. */
    final float[] projected;
    /**
     * A variant cell that clips: [T, B, G*H] each gate's pre-activation before the clip, in the gate order of
     * {@code gates}, for the clip's derivative; else null.
     */
    final float[] pre;

    SequenceTrace(float[] x, int steps, int batch, int hidden, boolean reverse, int[] lengths, boolean recorded,
                  float[] h0, float[] c0, float[] y, float[] hN, float[] cN, float[] gates, float[] aux,
                  float[] cellTanh, float[] projected) {
        this(x, steps, batch, hidden, reverse, lengths, recorded, h0, c0, y, hN, cN, gates, aux, cellTanh, projected,
                null);
    }

    SequenceTrace(float[] x, int steps, int batch, int hidden, boolean reverse, int[] lengths, boolean recorded,
                  float[] h0, float[] c0, float[] y, float[] hN, float[] cN, float[] gates, float[] aux,
                  float[] cellTanh, float[] projected, float[] pre) {
        this.x = x;
        this.steps = steps;
        this.batch = batch;
        this.hidden = hidden;
        this.reverse = reverse;
        this.lengths = lengths;
        this.recorded = recorded;
        this.h0 = h0;
        this.c0 = c0;
        this.y = y;
        this.hN = hN;
        this.cN = cN;
        this.gates = gates;
        this.aux = aux;
        this.cellTanh = cellTanh;
        this.projected = projected;
        this.pre = pre;
    }

    /** Whether row {@code b} has a valid step at position {@code t}. */
    boolean active(int t, int b) {
        return lengths == null || t < lengths[b];
    }

    /**
     * For each row past its length at position {@code t}, copies its {@code width} values from {@code from} over
     * what the step wrote in {@code to} (rows {@code stride} apart in both, from the given offsets): the state it
     * carries. Does nothing without lengths.
     */
    void carry(int t, float[] from, int fromOff, float[] to, int toOff, int stride, int width) {
        if (lengths == null) {
            return;
        }
        for (int b = 0; b < batch; b++) {
            if (t >= lengths[b]) {
                System.arraycopy(from, fromOff + b * stride, to, toOff + b * stride, width);
            }
        }
    }

    /** The position processed at step {@code s}. */
    int position(int s) {
        return reverse ? steps - 1 - s : s;
    }

    /** How many blocks the per-position buffers of a sequence need: every position when recorded, else two. */
    static int blocks(boolean recorded, int steps) {
        return recorded ? steps : Math.min(2, steps);
    }

    /**
     * Where the per-position buffers keep step {@code s} (position {@code t}): block {@code t} when recorded,
     * else one of two blocks by the step's parity, so that a step still reads its predecessor's (the LSTM's cell
     * state).
     */
    int slot(int s, int t) {
        return recorded ? t : s & 1;
    }

    /** The position processed just before {@code t}, or -1 when {@code t} comes first. */
    int previous(int t) {
        int p = reverse ? t + 1 : t - 1;
        return p < 0 || p >= steps ? -1 : p;
    }
}
