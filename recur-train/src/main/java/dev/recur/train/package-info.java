/**
 * Training infrastructure: the named trainable parameters an optimiser updates ({@link
 * dev.recur.train.Parameters}) and gradient clipping ({@link dev.recur.train.GradClip}). Optimisers live in
 * {@code optim}, learning-rate schedules in {@code schedule}.
 */
package dev.recur.train;
