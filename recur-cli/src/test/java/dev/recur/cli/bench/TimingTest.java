package dev.recur.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How many times and in what order {@link Timing} runs operations, and the JSON fields a result carries. */
class TimingTest {
    @Test
    void withoutWarmUpTheFirstTimedCallCountsAsARun() {
        AtomicInteger calls = new AtomicInteger();
        Timing.Result r = Timing.median(calls::incrementAndGet, 0, 0, 3, Long.MAX_VALUE);
        assertThat(calls.get()).isEqualTo(3);
        assertThat(r.repeats()).isEqualTo(3);
        assertThat(r.nanosPerCall()).isPositive();
    }

    @Test
    void aTightBudgetCutsTheRunsButKeepsOne() {
        AtomicInteger calls = new AtomicInteger();
        Runnable slow = () -> {
            calls.incrementAndGet();
            long until = System.nanoTime() + 2_000_000;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        };
        Timing.Result r = Timing.median(slow, 0, 0, 50, 1);
        assertThat(r.repeats()).isEqualTo(1);
        assertThat(calls.get()).isEqualTo(1);
        assertThat(r.nanosPerCall()).isGreaterThanOrEqualTo(2_000_000);
    }

    @Test
    void pairedTimesOneBatchOfEachPerRoundSwappingTheOrder() {
        StringBuilder order = new StringBuilder();
        Timing.Paired p = Timing.paired(() -> order.append('a'), () -> order.append('b'), 0, 0, 4,
                Long.MAX_VALUE);
        // One warm-up call each, then rounds a b, b a, a b, b a (a batch is one call when no run length is asked).
        assertThat(order).hasToString("ab" + "ab" + "ba" + "ab" + "ba");
        assertThat(p.first().repeats()).isEqualTo(4);
        assertThat(p.second().repeats()).isEqualTo(4);
    }

    private static volatile Object escape;
    private static volatile long total;

    @Test
    void allocationPerCallIsCountedAtSteadyState() {
        // One MiB per call, kept from escape analysis by a volatile field.
        Timing.Result allocating = Timing.median(() -> escape = new byte[1 << 20], 0, 0, 20, Long.MAX_VALUE);
        assertThat(allocating.bytesPerCall()).isBetween((double) (1 << 20), (double) (1 << 20) + 4096);
        long[] values = new long[4096];
        Timing.Result quiet = Timing.median(() -> {
            long s = 0;
            for (long v : values) {
                s += v;
            }
            total = s;
        }, 50_000_000, 1_000_000, 10, Long.MAX_VALUE);
        assertThat(quiet.bytesPerCall()).isLessThan(8);
        Timing.Paired p = Timing.paired(() -> escape = new long[1000], () -> total++, 0, 0, 10, Long.MAX_VALUE);
        assertThat(p.first().bytesPerCall()).isGreaterThanOrEqualTo(8000);
        assertThat(p.second().bytesPerCall()).isLessThan(p.first().bytesPerCall() / 10);
    }

    @Test
    void jsonLineHasTheAgreedFields() {
        String json = new BenchResult("gemm.1024", "1024x1024x1024", "vector", 2, "GFLOP/s", 123.456, 17.5, 10)
                .toJson();
        assertThat(json).startsWith("{\"name\":\"gemm.1024\",\"unit\":\"GFLOP/s\",\"recur\":123.46,"
                + "\"kernel\":\"vector\",\"threads\":2,");
    }

    @Test
    void pairedTimesBothInAlternationAndKeepsThemApart() {
        AtomicInteger fast = new AtomicInteger();
        AtomicInteger slow = new AtomicInteger();
        StringBuilder order = new StringBuilder();
        Runnable a = () -> {
            fast.incrementAndGet();
            order.append('a');
            spin(200_000);
        };
        Runnable b = () -> {
            slow.incrementAndGet();
            order.append('b');
            spin(1_000_000);
        };
        Timing.Paired p = Timing.paired(a, b, 0, 0, 4, Long.MAX_VALUE);
        assertThat(p.first().repeats()).isEqualTo(4);
        assertThat(p.second().repeats()).isEqualTo(4);
        // One warm-up call each, then rounds a-b, b-a, a-b, b-a of one call per batch.
        assertThat(order.toString()).isEqualTo("ab" + "ab" + "ba" + "ab" + "ba");
        assertThat(fast.get()).isEqualTo(5);
        assertThat(slow.get()).isEqualTo(5);
        assertThat(p.first().nanosPerCall()).isBetween(200_000.0, 1_000_000.0);
        assertThat(p.second().nanosPerCall()).isGreaterThanOrEqualTo(1_000_000.0);
    }

    private static void spin(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
