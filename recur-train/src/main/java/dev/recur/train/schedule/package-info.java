/**
 * Learning-rate schedules: {@link dev.recur.train.schedule.Constant}, {@link
 * dev.recur.train.schedule.LinearWarmup}, {@link dev.recur.train.schedule.Cosine} and {@link
 * dev.recur.train.schedule.WarmupStableDecay}, each an immutable record validated when built, and a parser
 * for compact command-line specs ({@link dev.recur.train.schedule.LearningRateSchedule#parse}).
 */
package dev.recur.train.schedule;
