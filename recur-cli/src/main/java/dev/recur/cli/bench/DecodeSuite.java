package dev.recur.cli.bench;

import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.IntTensor;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.lm.LmState;
import dev.recur.layers.ssm.mamba.MambaConfig;
import dev.recur.layers.ssm.mamba.MambaLm;

/**
 * {@code recur bench decode}: single-stream generation with a 24-layer, d_model 768 Mamba LM (expand 2, state 16,
 * random weights, vocab {@link #VOCAB}), one token per call carrying the recurrent state, in tokens/s. Every weight is
 * read once per token, so memory bandwidth bounds it: the bound is the triad bandwidth timed in alternation with the
 * decoding ({@link Timing#paired}) on the same number of threads, over the weight bytes per token (all parameters,
 * float32; the head is the tied embedding). The row's ratio is ours as a fraction of that bound.
 */
public final class DecodeSuite implements BenchSuite {
    static final int VOCAB = 256;
    static final int HIDDEN = 768;
    static final int LAYERS = 24;
    /** Floats per triad array: 64 MiB, far beyond the caches, as the weights are. */
    private static final int TRIAD_ELEMENTS = 1 << 24;
    private static final long MS = 1_000_000L;

    @Override
    public String name() {
        return "decode";
    }

    @Override
    public String description() {
        return "24-layer d_model 768 Mamba, one-token decoding tokens/s against the memory-bandwidth bound";
    }

    @Override
    public void run(BenchSink sink, int repeats) {
        MambaConfig config = RandomMamba.config(VOCAB, HIDDEN, LAYERS);
        MambaLm lm = RandomMamba.build(config, 31);
        long weightBytes = 4 * RandomMamba.parameterCount(lm);
        sink.note(String.format("decode: Mamba %d layers, d_model %d, vocab %d, %.1f MB of float32 weights read per"
                + " token; bound = triad GB/s / weight bytes", LAYERS, HIDDEN, VOCAB, weightBytes / 1e6));
        Triad triad = new Triad(TRIAD_ELEMENTS);
        LmState[] state = {lm.initialState(1)};
        int[] token = {1};
        Runnable step = () -> {
            try (GradMode.Scope ignored = GradMode.noGrad()) {
                LmOutput out = lm.forward(IntTensor.of(new int[] {token[0]}, 1, 1), state[0]);
                state[0] = out.state();
                token[0] = (token[0] * 31 + 7) % VOCAB;
            }
        };
        String shape = "1x1 d" + HIDDEN + " L" + LAYERS;
        Runnable triadPass = triad.pass();
        for (int threads : BenchThreads.counts()) {
            Timing.Paired t = BenchThreads.with(threads,
                    () -> Timing.paired(step, triadPass, 2000 * MS, 100 * MS, repeats, 8000 * MS));
            double bandwidth = triad.gbPerSecond(t.second());
            sink.add(new BenchResult("triad.64M", "16777216", "java-loop", threads, "GB/s", bandwidth,
                    t.second()));
            BenchResult r = new BenchResult("mamba.decode", shape, "step", threads, "tokens/s",
                    1e9 / t.first().nanosPerCall(), t.first());
            double boundTokens = bandwidth * 1e9 / weightBytes;
            sink.add(r.withDetail(String.format("%.1f GB/s of weights", r.value() * weightBytes / 1e9))
                    .againstBound("bandwidth-bound", boundTokens));
        }
    }
}
