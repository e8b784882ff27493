package dev.recur.train.loop;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a {@link TrainingLoop} run ended.
 *
 * @param startStep the step it started or resumed from
 * @param step the last step done
 * @param lastLoss the training loss of the last step (NaN when no step ran)
 * @param scores the last evaluation's scores (empty when none ran)
 * @param units training units consumed by the whole run, resumed parts included
 * @param unitsPerSecond units per second of this process's steps
 * @param interrupted whether a stop request ended it before its last step (after a checkpoint)
 */
public record LoopResult(long startStep, long step, double lastLoss, Map<String, Double> scores, long units,
                         double unitsPerSecond, boolean interrupted) {
    public LoopResult {
        scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
    }

    /** A score of the last evaluation, NaN when absent. */
    public double score(String name) {
        return scores.getOrDefault(name, Double.NaN);
    }
}
