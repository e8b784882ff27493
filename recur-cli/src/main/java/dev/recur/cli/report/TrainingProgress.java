package dev.recur.cli.report;

import dev.recur.core.RecurException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a training run's progress: step, loss, learning rate, tokens/s and the time left.
 *
 * <p>On a terminal ({@code System.console() != null}) it is a live progress bar, drawn by progressbar on standard
 * error at the terminal's width; otherwise (output redirected to
 * a log, CI) it prints a plain line at most every {@code interval}, plus the first and the last step, so logs
 * stay readable. The time left is extrapolated from the steps done since this display started (a resumed run
 * does not count the steps before it). {@link #close()} finishes the bar or prints a summary line.
 */
public final class TrainingProgress implements AutoCloseable {
    private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    private final long totalSteps;
    private final long startStep;
    private final PrintStream out;
    private final LongSupplier nanoClock;
    private final long intervalNanos;
    private final long startNanos;
    private final ProgressBar bar;
    private long lastPrintNanos;
    private long lastStep;
    private String lastLine;
    private boolean lastPrinted = true;
    private boolean printedAny;
    private boolean closed;

    /**
     * A display that picks a progress bar on a terminal, plain lines on standard output otherwise.
     *
     * @param startStep the step the run starts or resumes from
     */
    public static TrainingProgress start(String task, long totalSteps, long startStep) {
        boolean terminal = System.console() != null;
        return new TrainingProgress(task, totalSteps, startStep, terminal, System.out, 0, System::nanoTime,
                DEFAULT_INTERVAL);
    }

    /**
     * @param interactive a progress bar rather than plain lines on {@code out}
     * @param barWidth 0 for progressbar's own terminal-aware display, else a bar of this width drawn on {@code out}
     * @param interval the least time between two plain lines
     */
    TrainingProgress(String task, long totalSteps, long startStep, boolean interactive, PrintStream out,
                     int barWidth, LongSupplier nanoClock, Duration interval) {
        if (totalSteps < 1 || startStep < 0 || startStep > totalSteps) {
            throw new RecurException("TrainingProgress: expected 0 <= startStep <= totalSteps and totalSteps >= 1,"
                    + " got startStep " + startStep + ", totalSteps " + totalSteps);
        }
        this.totalSteps = totalSteps;
        this.startStep = startStep;
        this.out = out;
        this.nanoClock = nanoClock;
        this.intervalNanos = interval.toNanos();
        this.startNanos = nanoClock.getAsLong();
        this.lastStep = startStep;
        if (interactive) {
            ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalSteps)
                    .startsFrom(startStep, Duration.ZERO).setStyle(ProgressBarStyle.UNICODE_BLOCK)
                    .setUpdateIntervalMillis(250);
            if (barWidth > 0) {
                builder.setConsumer(new ConsoleProgressBarConsumer(out, barWidth));
            }
            this.bar = builder.build();
        } else {
            this.bar = null;
        }
    }

    /** Records that {@code step} is done with these figures; NaN figures show as "?". */
    public void update(long step, double loss, double learningRate, double tokensPerSecond) {
        if (closed) {
            throw new RecurException("TrainingProgress: update after close");
        }
        lastStep = Math.min(Math.max(step, startStep), totalSteps);
        String figures = String.format(Locale.ROOT, "loss %s lr %s %s tok/s", number(loss, "%.4f"),
                number(learningRate, "%.2e"), rate(tokensPerSecond));
        if (bar != null) {
            bar.stepTo(lastStep);
            bar.setExtraMessage(" " + figures);
            return;
        }
        long now = nanoClock.getAsLong();
        lastLine = String.format(Locale.ROOT, "step %d/%d (%.1f%%) %s eta %s", lastStep, totalSteps,
                100.0 * lastStep / totalSteps, figures, eta(now));
        if (!printedAny || now - lastPrintNanos >= intervalNanos || lastStep == totalSteps) {
            out.println(lastLine);
            lastPrintNanos = now;
            lastPrinted = true;
            printedAny = true;
        } else {
            lastPrinted = false;
        }
    }

    /** The time left at {@code now}, from the pace since start; "?" before any step is done. */
    String eta(long now) {
        long done = lastStep - startStep;
        long elapsed = now - startNanos;
        if (done <= 0 || elapsed <= 0) {
            return "?";
        }
        double secondsLeft = (double) elapsed / done * (totalSteps - lastStep) / 1e9;
        return duration(secondsLeft);
    }

    /** Finishes the display: the bar's last frame, or the latest line if it was not printed, then a summary. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (bar != null) {
            bar.close();
            return;
        }
        if (!lastPrinted && lastLine != null) {
            out.println(lastLine);
        }
        double seconds = (nanoClock.getAsLong() - startNanos) / 1e9;
        out.println(String.format(Locale.ROOT, "done: step %d/%d, %d steps in %s", lastStep, totalSteps,
                lastStep - startStep, duration(seconds)));
        out.flush();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
    }

    static String rate(double perSecond) {
        if (!Double.isFinite(perSecond)) {
            return "?";
        }
        if (perSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", perSecond / 1e6);
        }
        if (perSecond >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", perSecond / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", perSecond);
    }

    private static String number(double v, String format) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, format, v) : "?";
    }
}
