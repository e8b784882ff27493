package dev.recur.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.random.Rng;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The latency suite at tiny sizes: every family and context gives one row per thread count, and what it times
 * is a real continuation of the prefilled context (a prefill in pieces and a step from it give the same state as
 * one forward over the whole input). Nothing here asserts a speed.
 */
class LatencySuiteTest {
    private static final List<Integer> CONTEXTS = List.of(8, 20);

    @Test
    void everyFamilyAndContextGivesARow() {
        List<BenchResult> rows = new ArrayList<>();
        new LatencySuite(32, 2, CONTEXTS, 0, 5_000_000L, 1, 1 << 12).run(new BenchSink() {
            @Override
            public void note(String line) {
                assertThat(line).contains("d_model 32");
            }

            @Override
            public void add(BenchResult result) {
                rows.add(result);
            }
        }, 2);
        List<String> want = new ArrayList<>();
        for (String family : List.of("attn", "rat", "gdn", "mamba")) {
            for (int context : CONTEXTS) {
                for (int threads : BenchThreads.counts()) {
                    want.add("decode." + family + ".ctx" + context + "|step|" + threads);
                }
            }
        }
        assertThat(rows.stream().map(BenchResult::key).toList()).containsExactlyElementsOf(want);
        for (BenchResult r : rows) {
            assertThat(r.unit()).isEqualTo("tokens/s");
            assertThat(r.value()).isPositive().isFinite();
            assertThat(r.value() * r.millisPerCall()).isCloseTo(1000.0, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(r.detail()).contains("ms/token").contains("state");
            assertThat(r.vs()).isEqualTo("bandwidth-bound");
            assertThat(r.ratio()).isPositive().isFinite();
        }
    }

    @Test
    void attentionReadsItsNormAndFourProjectionsPerLayer() {
        DecodeStack<?> attention = new LatencySuite(32, 2, CONTEXTS, 0, 1, 0, 1 << 12).stacks().get(0);
        assertThat(attention.name()).isEqualTo("attn");
        // Per layer: the norm's d weights and W_q, W_k, W_v, W_o of d x d.
        assertThat(attention.weightFloats()).isEqualTo(2L * (32 + 4 * 32 * 32));
    }

    @Test
    void attentionStateGrowsWithTheContextAndRecurrentStatesDoNot() {
        for (DecodeStack<?> stack : new LatencySuite(32, 2, CONTEXTS, 0, 1, 0, 1 << 12).stacks()) {
            long[] sizes = stateSizes(stack);
            if (stack.name().equals("attn")) {
                // Keys and values of every cached token, in every layer: 2 x layers x context x d.
                assertThat(sizes).containsExactly(2L * 2 * 8 * 32, 2L * 2 * 20 * 32);
            } else if (!stack.name().equals("rat")) {
                assertThat(sizes[1]).as(stack.name()).isEqualTo(sizes[0]);
            }
        }
    }

    private static <S> long[] stateSizes(DecodeStack<S> stack) {
        S s = stack.prefill(stack.start(), 8);
        long first = stack.stateFloats(s);
        s = stack.prefill(s, 12);
        return new long[] {first, stack.stateFloats(s)};
    }

    @Test
    void prefillInPiecesThenAStepContinuesTheSequence() {
        for (DecodeStack<?> stack : new LatencySuite(32, 2, CONTEXTS, 0, 1, 0, 1 << 12).stacks()) {
            checkContinuation(stack);
        }
    }

    private static <S> void checkContinuation(DecodeStack<S> stack) {
        Tensor x = Tensor.randn(new Rng(3), 1f, 1, 21, 32);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            S whole = stack.forward(x, stack.start());
            S parts = stack.forward(slice(x, 0, 13), stack.start());
            parts = stack.forward(slice(x, 13, 20), parts);
            parts = stack.forward(slice(x, 20, 21), parts);
            assertThat(stack.stateFloats(parts)).isEqualTo(stack.stateFloats(whole));
            assertThat(flatten(parts, stack)).as(stack.name()).containsExactly(flatten(whole, stack),
                    org.assertj.core.data.Offset.offset(2e-4f));
        }
    }

    private static Tensor slice(Tensor x, int t0, int t1) {
        return dev.recur.core.ops.Reshaping.slice(x, 1, t0, t1);
    }

    private static <S> float[] flatten(S state, DecodeStack<S> stack) {
        List<Tensor> parts = new ArrayList<>();
        if (state instanceof Tensor[] ts) {
            parts.addAll(List.of(ts));
        } else if (state instanceof AttentionDecode.State a) {
            for (var c : a.caches()) {
                parts.add(c.keys());
                parts.add(c.values());
            }
        } else if (state instanceof dev.recur.layers.rat.RatState[] rs) {
            for (var r : rs) {
                parts.add(r.chunkKeys());
                parts.add(r.chunkValues());
                parts.add(r.running());
            }
        } else {
            throw new AssertionError("unknown state of " + stack.name());
        }
        int n = parts.stream().mapToInt(Tensor::size).sum();
        float[] out = new float[n];
        int at = 0;
        for (Tensor t : parts) {
            System.arraycopy(t.data(), 0, out, at, t.size());
            at += t.size();
        }
        return out;
    }

    @Test
    void contextsMustAscend() {
        assertThatThrownBy(() -> new LatencySuite(32, 2, List.of(20, 8), 0, 1, 0, 1 << 12))
                .hasMessageContaining("latency").hasMessageContaining("[20, 8]");
    }
}
