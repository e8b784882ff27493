package dev.recur.cli.bench;

import java.util.List;

/**
 * {@code recur bench latency}: per-token decode latency after a prefilled context, for causal attention with a
 * KV cache, RAT with chunks of 16, Gated DeltaNet and Mamba, each a stack of the same width and depth
 * ({@value #D_MODEL} wide, {@value #LAYERS} pre-norm residual blocks of the mixer alone; random weights; batch
 * 1; see {@link DecodeStack}). For each context (512, 2K, 4K tokens) the stack is prefilled to that length in
 * chunks of 512, then decoding from that state is timed, starting over from it every
 * {@value DecodeStack#RESTART} tokens (so every timed step runs within that many tokens of the context). Rows {@code decode.FAMILY.ctxN} give tokens/s, with the median ms/token as the
 * time per call; the detail gives the state's size, so that attention's growing cost and the recurrences'
 * constant one are visible side by side.
 */
public final class LatencySuite implements BenchSuite {
    static final int D_MODEL = 512;
    static final int LAYERS = 4;
    static final int RAT_CHUNK = 16;
    private static final List<Integer> CONTEXTS = List.of(512, 2048, 4096);
    private static final long MS = 1_000_000L;
    /** Floats per triad array: 64 MiB, beyond the caches, as a long context's KV cache is. */
    private static final int TRIAD_ELEMENTS = 1 << 24;

    private final int dModel;
    private final int layers;
    private final List<Integer> contexts;
    private final long warmupNanos;
    private final long budgetNanos;
    private final int warmupSteps;
    private final int triadElements;

    /** The published sizes. */
    public LatencySuite() {
        this(D_MODEL, LAYERS, CONTEXTS, 1000 * MS, 2000 * MS, 50, TRIAD_ELEMENTS);
    }

    /** Other sizes (tests run tiny ones, with a small triad); contexts ascending. */
    LatencySuite(int dModel, int layers, List<Integer> contexts, long warmupNanos, long budgetNanos,
                 int warmupSteps, int triadElements) {
        for (int i = 1; i < contexts.size(); i++) {
            if (contexts.get(i) <= contexts.get(i - 1)) {
                throw new IllegalArgumentException("latency: contexts must ascend, got " + contexts);
            }
        }
        this.dModel = dModel;
        this.layers = layers;
        this.contexts = List.copyOf(contexts);
        this.warmupNanos = warmupNanos;
        this.budgetNanos = budgetNanos;
        this.warmupSteps = warmupSteps;
        this.triadElements = triadElements;
    }

    @Override
    public String name() {
        return "latency";
    }

    @Override
    public String description() {
        return "per-token decode latency at context 512, 2K, 4K: attention (KV cache), RAT L=16, Gated DeltaNet,"
                + " Mamba; d_model 512, 4 layers";
    }

    /** The four stacks, in row order. */
    List<DecodeStack<?>> stacks() {
        return List.of(new AttentionDecode(dModel, layers, 41), new RatDecode(dModel, layers, RAT_CHUNK, 42),
                new GatedDeltaDecode(dModel, layers, 43), new MambaDecode(dModel, layers, 44));
    }

    @Override
    public void run(BenchSink sink, int repeats) {
        sink.note(String.format("latency: %d pre-norm residual blocks of the mixer alone, d_model %d, batch 1, random"
                + " weights; prefill in chunks of %d, then decoding timed at each context (restarting every %d tokens);"
                + " RAT chunk %d", layers, dModel, DecodeStack.PREFILL_CHUNK, DecodeStack.RESTART, RAT_CHUNK));
        Triad triad = new Triad(triadElements);
        for (DecodeStack<?> stack : stacks()) {
            measure(stack, sink, repeats, triad);
        }
    }

    private <S> void measure(DecodeStack<S> stack, BenchSink sink, int repeats, Triad triad) {
        S state = stack.start();
        int done = 0;
        for (int context : contexts) {
            state = stack.prefill(state, context - done);
            S at = state;
            if (done == 0) {
                // A counted warm-up as well as the timed one: on a busy machine a second of wall time may be too
                // few steps for the JIT to finish compiling the stack's first steps.
                for (int i = 0; i < warmupSteps; i++) {
                    stack.step(at);
                }
            }
            done = context;
            String shape = String.format("1x1 d%d L%d ctx%d", dModel, layers, context);
            String detail = String.format("state %.2f MB", 4.0 * stack.stateFloats(at) / 1e6);
            // A step reads every weight and the whole state once: its bound is that many bytes at the triad's rate.
            double bytesPerToken = 4.0 * (stack.weightFloats() + stack.stateFloats(at));
            for (int threads : BenchThreads.counts()) {
                Timing.Paired t = BenchThreads.with(threads, () -> Timing.paired(stack.decoder(at), triad.pass(),
                        warmupNanos, 20 * MS, repeats, budgetNanos));
                BenchResult r = new BenchResult("decode." + stack.name() + ".ctx" + context, shape, "step", threads,
                        "tokens/s", 1e9 / t.first().nanosPerCall(), t.first());
                double bound = triad.gbPerSecond(t.second()) * 1e9 / bytesPerToken;
                sink.add(r.withDetail(String.format("%.3f ms/token, %s", r.millisPerCall(), detail))
                        .againstBound("bandwidth-bound", bound));
            }
        }
    }
}
