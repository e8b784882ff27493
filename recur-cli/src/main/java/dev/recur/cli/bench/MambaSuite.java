package dev.recur.cli.bench;

import dev.recur.core.ops.CrossEntropy;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.ssm.mamba.MambaConfig;
import dev.recur.layers.ssm.mamba.MambaLm;
import java.util.SplittableRandom;

/**
 * {@code recur bench mamba}: training throughput of a 4-layer Mamba LM (d_model {@link #HIDDEN}, expand 2,
 * state 16, vocab {@link #VOCAB}, random weights), {@link #BATCH} sequences of {@link #SEQ} tokens per step:
 * forward, mean cross-entropy against random targets, backward into every parameter, gradients zeroed (no
 * optimiser). Reported in tokens/s and as model FLOP utilisation: counted FLOPs per second over the FMA ceiling
 * (measured in this run on one thread) times the thread count.
 *
 * <p>FLOPs counted per token: {@code 6 x} the weights that enter a matrix product (in, x, dt and out projections
 * and the head: 2 forward, 4 backward), {@code 3 x 2K x D_inner} for the depthwise convolution, and
 * {@code 3 x 7 x D_inner x N} for the selective scan (forward per state element: {@code delta A}, {@code delta B x}
 * (2), {@code dA h + dBx} (2), {@code C h} (2), the exponential counted as none; backward taken as twice the
 * forward). Norms, activations, the loss and the embedding lookup are not counted.
 */
public final class MambaSuite implements BenchSuite {
    static final int VOCAB = 256;
    static final int HIDDEN = 256;
    static final int LAYERS = 4;
    static final int SEQ = 512;
    static final int BATCH = 8;
    private static final long MS = 1_000_000L;

    @Override
    public String name() {
        return "mamba";
    }

    @Override
    public String description() {
        return "4-layer d_model 256 Mamba LM training step at seq 512: tokens/s and model FLOP utilisation";
    }

    /** Counted FLOPs per trained token for a config (see the class comment). */
    static double trainFlopsPerToken(MambaConfig c) {
        double inner = c.intermediateSize();
        double perLayer = 3 * 2.0 * c.convKernel() * inner + 3 * 7.0 * inner * c.stateSize();
        return 6.0 * RandomMamba.matmulWeights(c) + c.numLayers() * perLayer;
    }

    @Override
    public void run(BenchSink sink, int repeats) {
        MambaConfig config = RandomMamba.config(VOCAB, HIDDEN, LAYERS);
        MambaLm lm = RandomMamba.build(config, 21);
        SplittableRandom rng = new SplittableRandom(22);
        int[] ids = new int[BATCH * SEQ];
        int[] targets = new int[BATCH * SEQ];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = rng.nextInt(VOCAB);
            targets[i] = rng.nextInt(VOCAB);
        }
        IntTensor input = IntTensor.of(ids, BATCH, SEQ);
        IntTensor target = IntTensor.of(targets, BATCH, SEQ);
        double flopsPerToken = trainFlopsPerToken(config);
        double ceiling = FmaCeiling.measure();
        String shape = BATCH + "x" + SEQ + " d" + HIDDEN + " L" + LAYERS;
        sink.note(String.format("mamba: %d layers, d_model %d, d_inner %d, state %d, vocab %d, batch %d x seq %d;"
                        + " %.2f MFLOP counted per token; FMA ceiling now %.1f GFLOP/s per thread", LAYERS, HIDDEN,
                config.intermediateSize(), config.stateSize(), VOCAB, BATCH, SEQ, flopsPerToken / 1e6, ceiling));
        Runnable step = () -> {
            LmOutput out = lm.forward(input, null);
            Tensor loss = CrossEntropy.crossEntropy(out.logits(), target);
            loss.backward();
            for (Tensor p : lm.parameters().values()) {
                p.zeroGrad();
            }
        };
        for (int threads : BenchThreads.counts()) {
            BenchResult r = BenchThreads.with(threads, () -> {
                Timing.Result t = Timing.median(step, 3000 * MS, 200 * MS, Math.min(repeats, 7), 20_000 * MS);
                double tokensPerSecond = BATCH * SEQ * 1e9 / t.nanosPerCall();
                return new BenchResult("mamba.train", shape, "autograd", threads, "tokens/s", tokensPerSecond,
                        t);
            });
            double gflops = r.value() * flopsPerToken / 1e9;
            double bound = ceiling * threads;
            // Utilisation is FLOP/s over the ceiling; the same ratio in tokens/s keeps the row's unit.
            sink.add(r.withDetail(String.format("%.1f GFLOP/s, MFU %.3f of %.0f GFLOP/s", gflops, gflops / bound,
                    bound)).againstBound("fma-ceiling", bound * 1e9 / flopsPerToken));
        }
    }
}
