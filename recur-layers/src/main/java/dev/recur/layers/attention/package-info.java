/**
 * Causal softmax attention usable by any model family (Vaswani et al. 2017, "Attention Is All You Need"):
 * multi-head, grouped-query and multi-query heads, rotary position embeddings on all or a leading fraction of
 * each head's dimensions (Su et al. 2021, "RoFormer"), an optional sliding window, and a key/value cache that
 * carries the context between chunks so that a chunked or token-by-token run equals one whole forward
 * ({@link dev.recur.layers.attention.CausalAttention}, {@link dev.recur.layers.attention.KvCache}).
 * {@link dev.recur.layers.attention.AttentionMixer} is the block mixer around it, four projections with optional
 * biases: the stack kind {@code attn} ({@link dev.recur.layers.attention.AttentionMixerKind}) and, loaded under
 * transformers' names, the attention layers of Jamba, Bamba and RecurrentGemma.
 */
package dev.recur.layers.attention;
