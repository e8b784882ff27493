/**
 * Recur's one training loop ({@link dev.recur.train.loop.TrainingLoop}): AdamW or SGD at a learning-rate
 * schedule, global-norm clipping, a finite check every step naming the first bad tensor, evaluations,
 * atomic checkpoints and bit-exact resume, for any {@link dev.recur.train.loop.StepWork}; the language-model
 * work ({@link dev.recur.train.loop.LanguageModelWork}: truncated back-propagation through time with persistent
 * streams, held-out bits per byte) and its convenience front, {@link dev.recur.train.loop.Trainer}.
 */
package dev.recur.train.loop;
