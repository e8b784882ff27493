/**
 * Training on the synthetic tasks of {@code recur-tasks}: a token classifier (embedding, recurrent layer,
 * linear head), the masked loss over answer positions, and a short training loop that reports answer accuracy.
 */
package dev.recur.train.tasks;
