package dev.recur.train.loop;

/**
 * How a run ended.
 *
 * @param startStep the step it started or resumed from
 * @param step the last step done
 * @param lastLoss the training loss of the last step (NaN when no step ran)
 * @param validation the last held-out evaluation (null when none ran)
 * @param tokensSeen training bytes consumed by the whole run, resumed parts included
 * @param tokensPerSecond training bytes per second of this process's steps
 * @param interrupted whether a stop request ended it before {@code steps}
 */
public record TrainingResult(long startStep, long step, double lastLoss, Evaluation.Result validation,
                             long tokensSeen, double tokensPerSecond, boolean interrupted) {}
