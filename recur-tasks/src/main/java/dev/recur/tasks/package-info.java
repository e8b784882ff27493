/**
 * Data for training and evaluation: corpora and the batchers that turn them into model inputs. Text corpora and
 * byte-level batching live in {@code text}.
 */
package dev.recur.tasks;
