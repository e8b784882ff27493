/**
 * The linear-attention family: recurrences whose state is a matrix per head, read by a query and written by a key
 * and a value. {@link dev.recur.layers.linear.GatedDeltaNet} (with {@link dev.recur.layers.linear.GatedDeltaNetConfig}
 * for its head counts and projection layout) is the one Gated DeltaNet, behind both the stack kind {@code gdn} and
 * Qwen3-Next's linear-attention layers; {@link dev.recur.layers.linear.LinearAttentionMixer} holds plain linear
 * attention, GLA, HGRN-2 and DeltaNet; {@link dev.recur.layers.linear.LinearMixerKind} declares their spec kinds.
 * LightNet (Qin et al. 2024), whose state is a softmax-normalised sum with a log normaliser beside it, is its own
 * mixer ({@link dev.recur.layers.linear.LightNetMixer}) and spec kind ({@code lightnet},
 * {@link dev.recur.layers.linear.LightNetMixerKind}). The scans themselves live in {@code dev.recur.core.scan}.
 */
package dev.recur.layers.linear;
