/**
 * Griffin / RecurrentGemma (De et al. 2024, "Griffin: Mixing Gated Linear Recurrences with Local Attention for
 * Efficient Language Models"): the {@link dev.recur.layers.griffin.RgLru} recurrence (a real-gated diagonal linear
 * recurrence on the diagonal scan), the recurrent block around it, {@link dev.recur.layers.griffin.GriffinMixer}
 * (a {@code block.Mixer}, sized by {@link dev.recur.layers.griffin.GriffinMixerConfig}), which is both the stack kind
 * {@code griffin} ({@link dev.recur.layers.griffin.GriffinMixerKind}) and the recurrent layer of
 * {@link dev.recur.layers.griffin.RecurrentGemmaModel}, transformers' {@code RecurrentGemmaForCausalLM}, whose local
 * (sliding-window) multi-query attention is the attention family's {@code AttentionMixer} (in a stack:
 * {@code attn(window=..)}) and whose gated GELU MLPs are {@code ffn.GatedMlp}; the model is loaded from HF
 * checkpoints by {@link dev.recur.layers.griffin.RecurrentGemmaArchitecture}.
 */
package dev.recur.layers.griffin;
