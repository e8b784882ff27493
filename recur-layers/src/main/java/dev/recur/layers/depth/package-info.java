/**
 * Recurrence in depth: the Universal Transformer (Dehghani et al. 2019, "Universal Transformers"), one shared
 * causal attention + MLP block applied repeatedly to every position, with Adaptive Computation Time (Graves
 * 2016, "Adaptive Computation Time for Recurrent Neural Networks") deciding per position how many times.
 */
package dev.recur.layers.depth;
