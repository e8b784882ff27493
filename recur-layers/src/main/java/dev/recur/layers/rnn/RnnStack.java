package dev.recur.layers.rnn;

import dev.recur.core.parallel.ComputePool;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A whole layer stack (every layer, every direction, dropout between layers) as ONE autograd op with outputs
 * {@code y}, {@code h_n} and, for the LSTM, {@code c_n}; its derivative rule runs the BPTT of every layer from
 * the top down. Inside, sequences are time-major ({@code [T, B, D]}) so that each step's rows are contiguous; a
 * batch-first input and output are transposed once at the edges. With lengths ({@link PackedLengths}) each
 * layer's output is zeroed at the padding positions before the next layer reads it (as
 * {@code pad_packed_sequence} returns it), and the kernels take no step there. Callers validate shapes.
 */
final class RnnStack {
    /** Floats from which {@link #transpose} splits its copy over the pool (64 KiB). */
    private static final int PARALLEL_COPY = 1 << 14;
    private final RnnConfig config;
    private final SequenceKernel kernel;

    RnnStack(RnnConfig config, SequenceKernel kernel) {
        this.config = config;
        this.kernel = kernel;
    }

    /**
     * Runs the stack over {@code x} (its data laid out as [B, T, I] when the config is batch-first, else
     * [T, B, I]). S below is the state size ({@link RnnConfig#stateSize()}).
     *
     * @param params      the parameters in {@link RnnConfig#parameterNames()} order
     * @param h0          [L*dirs, B, S], or null for zeros
     * @param c0          [L*dirs, B, H] (LSTM), or null for zeros
     * @param lengths     [B] valid steps per row, each in 1..T, or null when every row is full
     * @param dropout     the generator for dropout masks between layers, or null for none
     * @param outputShape the shape of {@code y}: [B, T, dirs*S] or [T, B, dirs*S], or [B, dirs*S] for one step
     * @return {@code y, h_n} and, for the LSTM, {@code c_n}
     */
    Tensor[] forward(List<Tensor> params, Tensor x, int batch, int steps, Tensor h0, Tensor c0, int[] lengths,
                     Rng dropout, int[] outputShape) {
        int layers = config.numLayers();
        int dirs = config.directions();
        int hidden = config.hiddenSize();
        int state = config.stateSize();
        int sh = batch * hidden;
        int ss = batch * state;
        int width = dirs * state;
        boolean lstm = config.cell().hasCellState();
        CellWeights[] weights = weights(params);
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(x);
        if (h0 != null) {
            inputs.add(h0);
        }
        if (c0 != null) {
            inputs.add(c0);
        }
        inputs.addAll(params);
        boolean record = Tensor.recordsGrad(inputs.toArray(new Tensor[0]));
        SequenceTrace[] traces = new SequenceTrace[layers * dirs];
        float[][] masks = new float[layers][];
        float[] hN = new float[layers * dirs * ss];
        float[] cN = lstm ? new float[layers * dirs * sh] : null;
        // [T, B, I]
        float[] in = config.batchFirst() ? transpose(x.data(), batch, steps, config.inputSize()) : x.data();
        for (int l = 0; l < layers; l++) {
            boolean dropped = dropout != null && config.dropout() > 0f && l < layers - 1;
            float[] out = null; // [T, B, dirs*S]
            for (int d = 0; d < dirs; d++) {
                int idx = l * dirs + d;
                float[] h = slice(h0, idx * ss, ss);
                float[] c = lstm ? slice(c0, idx * sh, sh) : null;
                SequenceTrace tr = kernel.forward(weights[idx], in, steps, batch, h, c, d == 1, record, lengths);
                traces[idx] = tr;
                if (dirs == 1 && !dropped && lengths == null) {
                    out = tr.y; // the layer's output as it is; nothing writes to it afterwards
                } else {
                    out = out == null ? new float[steps * batch * width] : out;
                    copyColumns(tr.y, state, 0, out, width, d * state, steps * batch);
                }
                System.arraycopy(tr.hN, 0, hN, idx * ss, ss);
                if (lstm) {
                    System.arraycopy(tr.cN, 0, cN, idx * sh, sh);
                }
            }
            if (lengths != null) {
                zeroPadding(out, lengths, steps, batch, width);
            }
            if (dropped) {
                masks[l] = dropoutMask(dropout, out.length, config.dropout());
                for (int k = 0; k < out.length; k++) {
                    out[k] *= masks[l][k];
                }
            }
            in = out;
        }
        // [B, T, dirs*S] or [T, B, dirs*S]; a copy either way, since the traces keep their outputs for the backward
        float[] y = config.batchFirst() ? transpose(in, steps, batch, width) : in.clone();
        int[] hShape = {layers * dirs, batch, state};
        int[] cShape = {layers * dirs, batch, hidden};
        float[][] data = lstm ? new float[][] {y, hN, cN} : new float[][] {y, hN};
        int[][] shapes = lstm ? new int[][] {outputShape, hShape, cShape} : new int[][] {outputShape, hShape};
        return Tensor.results(config.cell().label(), data, shapes,
                grads -> backward(grads, params, weights, traces, masks, x, h0, c0, batch, steps),
                inputs.toArray(new Tensor[0]));
    }

    private void backward(float[][] grads, List<Tensor> params, CellWeights[] weights, SequenceTrace[] traces,
                          float[][] masks, Tensor x, Tensor h0, Tensor c0, int batch, int steps) {
        int layers = config.numLayers();
        int dirs = config.directions();
        int hidden = config.hiddenSize();
        int state = config.stateSize();
        int sh = batch * hidden;
        int ss = batch * state;
        int width = dirs * state;
        boolean lstm = config.cell().hasCellState();
        int perDirection = config.parametersPerDirection();
        float[] dh0 = h0 == null ? null : h0.gradBuffer();
        float[] dc0 = c0 == null ? null : c0.gradBuffer();
        // [T, B, dirs*S]; the kernels only read it
        float[] dOut = config.batchFirst() ? transpose(grads[0], batch, steps, width) : grads[0];
        float[] dhN = grads[1];
        float[] dcN = lstm ? grads[2] : null;
        for (int l = layers - 1; l >= 0; l--) {
            boolean wantInput = l > 0 || x.tracksGrad();
            float[] dIn = wantInput ? new float[steps * batch * config.layerInputSize(l)] : null; // [T, B, I_l]
            for (int d = 0; d < dirs; d++) {
                int idx = l * dirs + d;
                int p = idx * perDirection;
                CellWeights w = weights[idx].withGrads(params.get(p).gradBuffer(), params.get(p + 1).gradBuffer(),
                        config.bias() ? params.get(p + 2).gradBuffer() : null,
                        config.bias() ? params.get(p + 3).gradBuffer() : null);
                if (config.projSize() > 0) {
                    w.withProjectionGrad(params.get(p + perDirection - 1).gradBuffer());
                }
                if (config.variant().peepholes()) {
                    w.withPeepholeGrad(params.get(p + perDirection - 1).gradBuffer());
                }
                float[] dy = dOut; // [T, B, S]: the kernels only read it
                if (dirs > 1) {
                    dy = new float[steps * ss];
                    copyColumns(dOut, width, d * state, dy, state, 0, steps * batch);
                }
                float[] dh = new float[ss];
                float[] dc = lstm ? new float[sh] : null;
                kernel.backward(w, traces[idx], dy, slice(dhN, idx * ss, ss), lstm ? slice(dcN, idx * sh, sh) : null,
                        dIn, dh, dc);
                addInto(dh0, idx * ss, dh);
                if (lstm) {
                    addInto(dc0, idx * sh, dc);
                }
            }
            if (l > 0) {
                float[] mask = masks[l - 1];
                if (mask != null) {
                    for (int k = 0; k < dIn.length; k++) {
                        dIn[k] *= mask[k];
                    }
                }
                dOut = dIn;
            } else if (dIn != null) {
                addInto(x.gradBuffer(), 0, config.batchFirst() ? transpose(dIn, steps, batch, config.inputSize())
                        : dIn);
            }
        }
    }

    /** Zeroes the rows of {@code out [T, B, width]} at each batch row's padding positions. */
    private static void zeroPadding(float[] out, int[] lengths, int steps, int batch, int width) {
        for (int b = 0; b < batch; b++) {
            for (int t = lengths[b]; t < steps; t++) {
                int off = (t * batch + b) * width;
                Arrays.fill(out, off, off + width, 0f);
            }
        }
    }

    private CellWeights[] weights(List<Tensor> params) {
        int dirs = config.directions();
        int perDirection = config.parametersPerDirection();
        int proj = config.projSize();
        CellVariant variant = config.variant();
        CellWeights[] w = new CellWeights[config.numLayers() * dirs];
        for (int idx = 0; idx < w.length; idx++) {
            int p = idx * perDirection;
            float[] last = params.get(p + perDirection - 1).data(); // weight_hr or the peepholes, when present
            w[idx] = new CellWeights(config.cell(), config.layerInputSize(idx / dirs), config.hiddenSize(),
                    params.get(p).data(), params.get(p + 1).data(),
                    config.bias() ? params.get(p + 2).data() : null,
                    config.bias() ? params.get(p + 3).data() : null,
                    proj, proj > 0 ? last : null,
                    variant.isNone() ? null : variant.forDirection(config.cell(), idx % dirs),
                    variant.peepholes() ? last : null);
        }
        return w;
    }

    /** Inverted dropout: each element kept with probability {@code 1 - p} and scaled by {@code 1 / (1 - p)}. */
    private static float[] dropoutMask(Rng rng, int n, float p) {
        float[] mask = new float[n];
        float scale = 1f / (1f - p);
        for (int k = 0; k < n; k++) {
            mask[k] = rng.nextDouble() < p ? 0f : scale;
        }
        return mask;
    }

    /**
     * {@code src [a, b, d] -> [b, a, d]}, split over the pool by ranges of {@code a} once it spans a few pages:
     * at 16 x 256 x 256 the layer's three such copies took 1.45 ms of a 46 ms two-thread GRU training call.
     */
    static float[] transpose(float[] src, int a, int b, int d) {
        float[] dst = new float[src.length];
        ComputePool.RangeBody rows = (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                for (int j = 0; j < b; j++) {
                    System.arraycopy(src, (i * b + j) * d, dst, (j * a + i) * d, d);
                }
            }
        };
        if (src.length < PARALLEL_COPY) {
            rows.run(0, a);
        } else {
            ComputePool.shared().forRanges(a, 1, rows);
        }
        return dst;
    }

    /** Copies {@code cols} columns of each of {@code rows} rows between two row-major matrices of different widths. */
    private static void copyColumns(float[] src, int srcWidth, int srcCol, float[] dst, int dstWidth, int dstCol,
                                    int rows) {
        int cols = Math.min(srcWidth - srcCol, dstWidth - dstCol);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(src, r * srcWidth + srcCol, dst, r * dstWidth + dstCol, cols);
        }
    }

    private static float[] slice(Tensor t, int off, int n) {
        return t == null ? new float[n] : slice(t.data(), off, n);
    }

    private static float[] slice(float[] a, int off, int n) {
        float[] s = new float[n];
        System.arraycopy(a, off, s, 0, n);
        return s;
    }

    private static void addInto(float[] dst, int off, float[] src) {
        if (dst == null) {
            return;
        }
        for (int k = 0; k < src.length; k++) {
            dst[off + k] += src[k];
        }
    }
}
