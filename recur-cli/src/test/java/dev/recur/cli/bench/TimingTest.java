package dev.recur.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How many times {@link Timing} runs an operation, and the JSON fields a result carries. */
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
    void jsonLineHasTheAgreedFields() {
        String json = new BenchResult("gemm.1024", "1024x1024x1024", "vector", 2, "GFLOP/s", 123.456, 17.5, 10)
                .toJson();
        assertThat(json).startsWith("{\"name\":\"gemm.1024\",\"unit\":\"GFLOP/s\",\"recur\":123.46,"
                + "\"kernel\":\"vector\",\"threads\":2,");
    }
}
