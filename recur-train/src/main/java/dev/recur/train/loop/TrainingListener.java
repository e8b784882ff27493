package dev.recur.train.loop;

import dev.recur.train.checkpoint.StoredCheckpoint;
import dev.recur.train.metrics.MetricsRow;
import java.util.Map;

/** What a {@link TrainingLoop} reports as it goes; every method has an empty default. */
public interface TrainingListener {
    /** The run starts at {@code startStep} (0, or the step a resumed checkpoint holds). */
    default void onStart(long startStep, long totalSteps) {}

    /** A step is done; {@code row} is what metrics.jsonl gets. */
    default void onStep(MetricsRow row) {}

    /** An evaluation after {@code step}: its one-line summary and its scores (as the metrics row holds them). */
    default void onEvaluation(long step, String summary, Map<String, Double> scores) {}

    default void onCheckpoint(StoredCheckpoint checkpoint) {}

    /** A line worth showing (a resumed checkpoint, a skipped unverifiable one, a stop request). */
    default void onMessage(String line) {}
}
