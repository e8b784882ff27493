package dev.recur.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TrainingProgressTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void plainLinesAreThrottledAndCarryTheFiguresAndEta() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong(0);
        try (TrainingProgress p = new TrainingProgress("train", 100, 0, false,
                new PrintStream(buf, true, StandardCharsets.UTF_8), 0, clock::get, Duration.ofSeconds(10))) {
            clock.set(2 * SECOND);
            p.update(1, 2.5, 3e-4, 12_345);
            clock.set(3 * SECOND);
            p.update(2, 2.4, 3e-4, 12_000);
            clock.set(12 * SECOND);
            // 3 steps in 12 s: 4 s a step, 97 steps left = 388 s.
            p.update(3, 2.3, 2.5e-4, 1_500_000);
            clock.set(13 * SECOND);
            p.update(4, Double.NaN, 2.5e-4, Double.NaN);
            clock.set(14 * SECOND);
        }
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).containsExactly(
                "step 1/100 (1.0%) loss 2.5000 lr 3.00e-04 12.3k tok/s eta 3m18s",
                "step 3/100 (3.0%) loss 2.3000 lr 2.50e-04 1.50M tok/s eta 6m28s",
                "step 4/100 (4.0%) loss ? lr 2.50e-04 ? tok/s eta 5m12s",
                "done: step 4/100, 4 steps in 14s");
    }

    @Test
    void theLastStepIsAlwaysPrintedAndAResumedRunTimesOnlyItsOwnSteps() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong(100 * SECOND);
        try (TrainingProgress p = new TrainingProgress("train", 10, 8, false,
                new PrintStream(buf, true, StandardCharsets.UTF_8), 0, clock::get, Duration.ofHours(1))) {
            clock.addAndGet(SECOND);
            p.update(9, 1.0, 1e-4, 10);
            clock.addAndGet(SECOND);
            p.update(10, 0.9, 1e-4, 10);
        }
        assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo(
                "step 9/10 (90.0%) loss 1.0000 lr 1.00e-04 10 tok/s eta 1s\n"
                        + "step 10/10 (100.0%) loss 0.9000 lr 1.00e-04 10 tok/s eta 0s\n"
                        + "done: step 10/10, 2 steps in 2s\n");
    }

    @Test
    void theInteractiveBarShowsTheFiguresAndCloses() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        TrainingProgress p = new TrainingProgress("train", 50, 0, true,
                new PrintStream(buf, true, StandardCharsets.UTF_8), 160, System::nanoTime, Duration.ofSeconds(1));
        p.update(25, 1.2345, 1e-3, 2048);
        p.close();
        p.close();
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("train").contains("25/50").contains("loss 1.2345 lr 1.00e-03 2.0k tok/s");
        assertThatThrownBy(() -> p.update(26, 1, 1, 1)).isInstanceOf(RecurException.class);
    }

    @Test
    void durationsAndRatesReadNaturally() {
        assertThat(TrainingProgress.duration(59.4)).isEqualTo("59s");
        assertThat(TrainingProgress.duration(61)).isEqualTo("1m01s");
        assertThat(TrainingProgress.duration(3 * 3600 + 5 * 60 + 9)).isEqualTo("3h05m");
        assertThat(TrainingProgress.rate(999)).isEqualTo("999");
        assertThat(TrainingProgress.rate(45_678)).isEqualTo("45.7k");
        assertThatThrownBy(() -> new TrainingProgress("t", 5, 6, false, System.out, 0, System::nanoTime,
                Duration.ZERO)).isInstanceOf(RecurException.class).hasMessageContaining("startStep 6");
    }
}
