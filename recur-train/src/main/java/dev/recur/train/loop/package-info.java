/**
 * The training loop for any {@link dev.recur.layers.lm.CausalLm} on byte streams ({@link
 * dev.recur.train.loop.Trainer}): truncated back-propagation through time with persistent streams, AdamW,
 * a learning-rate schedule, global-norm clipping, a finite check every step, held-out bits per byte,
 * checkpoints and bit-exact resume.
 */
package dev.recur.train.loop;
