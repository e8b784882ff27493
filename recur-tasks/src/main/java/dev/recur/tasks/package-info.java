/**
 * Data for training and evaluation. Text corpora and byte-level batching live in {@code text}. The synthetic task
 * suite is listed by {@link dev.recur.tasks.registry.TaskRegistry}: each {@link dev.recur.tasks.Task} is a seeded
 * generator of batches with its encoding documented in its Javadoc and its metric; token tasks give
 * {@link dev.recur.tasks.TokenBatch}es scored by {@link dev.recur.tasks.AnswerAccuracy} (recall and memory tasks,
 * ListOps, hidden Markov models), forecasting tasks give windows of a time series ({@code chaos}, {@code series}).
 */
package dev.recur.tasks;
