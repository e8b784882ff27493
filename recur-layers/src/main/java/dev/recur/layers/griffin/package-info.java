/**
 * Griffin / RecurrentGemma (De et al. 2024, "Griffin: Mixing Gated Linear Recurrences with Local Attention for
 * Efficient Language Models") as transformers' {@code RecurrentGemmaForCausalLM}: the {@link
 * dev.recur.layers.griffin.RgLru} recurrence (a real-gated diagonal linear recurrence on the diagonal scan),
 * the recurrent block around it, local (sliding-window) multi-query attention from
 * {@code dev.recur.layers.attention}, gated GELU MLPs, and the causal LM loaded from HF checkpoints by
 * {@link dev.recur.layers.griffin.RecurrentGemmaArchitecture}.
 */
package dev.recur.layers.griffin;
