/**
 * Causal softmax attention usable by any model family (Vaswani et al. 2017, "Attention Is All You Need"):
 * multi-head, grouped-query and multi-query heads, rotary position embeddings on all or a leading fraction of
 * each head's dimensions (Su et al. 2021, "RoFormer"), an optional sliding window, and a key/value cache that
 * carries the context between chunks so that a chunked or token-by-token run equals one whole forward.
 */
package dev.recur.layers.attention;
