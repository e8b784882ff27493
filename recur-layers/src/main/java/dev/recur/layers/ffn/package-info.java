/**
 * The feed-forward halves of the hybrid layers, shared by every hybrid model: the one
 * {@link dev.recur.layers.ffn.GatedMlp} (SwiGLU or GeGLU, with or without biases), the sparse mixture of experts
 * {@link dev.recur.layers.ffn.SparseMoe} (Jamba, Qwen3-Next) with its fused-expert projection
 * {@link dev.recur.layers.ffn.ExpertLinear} and the ordered scatter-add {@link dev.recur.layers.ffn.IndexAdd}, and
 * Qwen3-Next's {@link dev.recur.layers.ffn.SharedExpertMoe}. {@link dev.recur.layers.ffn.HfActivation} names the
 * activations transformers' configs use.
 */
package dev.recur.layers.ffn;
