/**
 * The run API of {@code recur train}: {@link dev.recur.train.run.RunSettings} (one name per quantity, saved in
 * the run folder), {@link dev.recur.train.run.TrainingRuns} (start or resume a run), and the three kinds of
 * {@link dev.recur.train.run.TrainingRun}: a language model (from scratch, any layer spec, or fine-tuning an
 * {@code --init} folder), a token task, a forecaster. Each trains on the one
 * {@link dev.recur.train.loop.TrainingLoop}; the command line only parses, prints and draws the report files.
 */
package dev.recur.train.run;
