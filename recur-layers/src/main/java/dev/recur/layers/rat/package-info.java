/**
 * RAT (Wei, Yadav, Pascanu, Gulcehre, "RAT: Bridging RNN Efficiency and Attention Accuracy in Language
 * Modeling", 2025): a gated linear recurrence inside chunks of {@code L} tokens and softmax attention across the
 * chunks' final states. {@link dev.recur.layers.rat.RatMixer} is the sequence mixer over given queries, keys,
 * values and forget gates; {@link dev.recur.layers.rat.RatLayer} adds the projections;
 * {@link dev.recur.layers.rat.RatState} is the streaming state (one key/value per completed chunk plus the
 * running in-chunk state).
 */
package dev.recur.layers.rat;
