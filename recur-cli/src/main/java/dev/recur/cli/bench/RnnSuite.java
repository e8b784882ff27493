package dev.recur.cli.bench;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.rnn.CellType;
import dev.recur.layers.rnn.RnnConfig;
import dev.recur.layers.rnn.RnnLayer;
import dev.recur.layers.rnn.RnnOutput;
import java.util.Map;

/**
 * {@code recur bench lstm} and {@code recur bench gru}: one layer ({@link #BATCH} sequences of {@link #SEQ}
 * steps, input {@link #INPUT}, hidden {@link #HIDDEN}, PyTorch's initialisation) in tokens per second
 * ({@code batch * seq} per call), on each thread count. {@code .forward}: inference, no graph recorded.
 * {@code .train}: forward with the graph, then backward of a fixed random upstream gradient of the output
 * sequence into every weight and bias (the input needs no gradient), then the gradients zeroed, as one
 * training step of the layer without the optimiser.
 */
public final class RnnSuite implements BenchSuite {
    public static final int BATCH = 16;
    public static final int SEQ = 256;
    public static final int INPUT = 128;
    public static final int HIDDEN = 256;
    /** {@code batch x seq x input -> hidden}. */
    public static final String SHAPE = BATCH + "x" + SEQ + "x" + INPUT + "->" + HIDDEN;
    private static final long MS = 1_000_000L;

    private final CellType cell;

    /** The suite for an LSTM or a GRU layer. */
    public RnnSuite(CellType cell) {
        if (cell != CellType.LSTM && cell != CellType.GRU) {
            throw new IllegalArgumentException("RnnSuite: expected LSTM or GRU, got " + cell);
        }
        this.cell = cell;
    }

    @Override
    public String name() {
        return cell == CellType.LSTM ? "lstm" : "gru";
    }

    @Override
    public String description() {
        return "one " + name().toUpperCase() + " layer " + SHAPE + ", forward and forward+backward tokens/s";
    }

    @Override
    public void run(BenchSink sink, int repeats) {
        sink.note(name() + ": one layer, batch " + BATCH + ", seq " + SEQ + ", input " + INPUT + ", hidden " + HIDDEN
                + "; tokens/s = batch*seq / median time; train = forward + backward of every parameter");
        Runnable forward = operation(cell, false);
        Runnable train = operation(cell, true);
        for (int threads : BenchThreads.counts()) {
            sink.add(BenchThreads.with(threads, () -> measure(name() + ".forward", "fused", threads, forward,
                    repeats)));
            sink.add(BenchThreads.with(threads, () -> measure(name() + ".train", "fused", threads, train,
                    repeats)));
        }
    }

    /**
     * One call of a row of this suite, on its own layer and data (the same seeds every time): inference with no
     * graph recorded, or a training step without the optimiser. Tokens per call: {@code BATCH * SEQ}.
     */
    public static Runnable operation(CellType cell, boolean train) {
        RnnConfig config = new RnnConfig(cell, INPUT, HIDDEN, 1, false, true, 0f);
        RnnLayer layer = new RnnLayer(config, new Rng(3));
        Rng rng = new Rng(4);
        Tensor x = Tensor.randn(rng, 1f, BATCH, SEQ, INPUT);
        float[] upstream = Tensor.randn(rng, 1f, BATCH, SEQ, HIDDEN).data();
        if (!train) {
            return () -> {
                try (GradMode.Scope ignored = GradMode.noGrad()) {
                    layer.forward(x);
                }
            };
        }
        return () -> {
            RnnOutput out = layer.forward(x);
            out.output().backward(upstream);
            for (Map.Entry<String, Tensor> p : layer.parameters().entrySet()) {
                p.getValue().zeroGrad();
            }
        };
    }

    static BenchResult measure(String name, String kernel, int threads, Runnable op, int repeats) {
        Timing.Result t = Timing.median(op, 1500 * MS, 200 * MS, repeats, 10_000 * MS);
        double tokens = (double) BATCH * SEQ;
        return new BenchResult(name, SHAPE, kernel, threads, "tokens/s", tokens * 1e9 / t.nanosPerCall(),
                t);
    }
}
