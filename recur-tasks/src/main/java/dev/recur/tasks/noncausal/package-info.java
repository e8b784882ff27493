/**
 * Token tasks whose answers depend on later inputs, for non-causal encoders: {@link
 * dev.recur.tasks.noncausal.LookaheadTask}.
 */
package dev.recur.tasks.noncausal;
